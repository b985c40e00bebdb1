import { ApiFailure } from '../errors'

/** A whole-number query or path parameter in [min, max] (`dflt` when absent); a 400 naming it otherwise. */
export function intParam(value: string | undefined, name: string, dflt: number, min: number, max: number): number
export function intParam(value: string | undefined, name: string, dflt: number | undefined, min: number, max: number): number | undefined
export function intParam(value: string | undefined, name: string, dflt: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return dflt
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiFailure('bad_request', `${name} must be a whole number from ${min} to ${max}.`, { fields: { [name]: `expected ${min}–${max}` } })
  return n
}
