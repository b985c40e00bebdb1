import type { Context } from 'hono'
import type { z } from 'zod/mini'
import { ApiFailure } from '../errors'
import { readJsonBody } from './read-body'

type Issue = z.core.$ZodIssue

/**
 * zod/mini ships no locale, so every issue says "Invalid input"; a host developer needs to know
 * what was expected. Messages here are in English, like the rest of the error shape.
 */
function describe(i: Issue, given: unknown): string {
  switch (i.code) {
    case 'invalid_type':
      return given === undefined ? 'required' : `expected ${i.expected}`
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'must not be empty' : `at least ${i.minimum} characters`
      return i.origin === 'array' ? `at least ${i.minimum} item(s)` : `at least ${i.minimum}`
    case 'too_big':
      return i.origin === 'string' ? `at most ${i.maximum} characters` : i.origin === 'array' ? `at most ${i.maximum} items` : `at most ${i.maximum}`
    case 'invalid_format':
      if (i.format === 'url') return 'expected an http(s) URL'
      if (i.format === 'datetime') return 'expected an ISO 8601 date-time with offset, e.g. 2025-07-01T18:00:00+08:00'
      return `expected ${i.format}`
    case 'invalid_value':
      return `expected one of: ${i.values.map(String).join(', ')}`
    default:
      return i.message
  }
}

/** What `input` holds at `path` (issues do not carry the input: zod leaves it out by default). */
function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined
  return v
}

/** Issues as the shared error's `fields`: dotted path → message, first issue per path. */
export function fieldErrors(issues: readonly Issue[], input: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const i of issues) {
    const path = i.path.map(String).join('.') || 'body'
    fields[path] ??= describe(i, at(input, i.path))
  }
  return fields
}

/** Issues as one 400 `bad_request` naming each bad field. */
export function invalidFields(issues: readonly Issue[], input: unknown): ApiFailure {
  const fields = fieldErrors(issues, input)
  return new ApiFailure('bad_request', `Invalid ${Object.keys(fields).join(', ')}.`, { fields })
}

/**
 * The JSON body (read by readJsonBody) checked against `schema`; a 400 `bad_request` naming each
 * bad field otherwise. `optional`: an empty body is checked as `{}`. `invalid`: the 400 for a
 * form whose messages are not these (the settings form speaks the admin's language).
 */
export async function parseBody<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
  opts: { maxBytes?: number; optional?: boolean; invalid?: (issues: readonly Issue[], input: unknown) => ApiFailure } = {},
): Promise<z.infer<S>> {
  const read = await readJsonBody(c, opts)
  const body = read === undefined ? {} : read
  const result = schema.safeParse(body)
  if (!result.success) throw (opts.invalid ?? invalidFields)(result.error.issues, body)
  return result.data as z.infer<S>
}
