/**
 * The database could not be reached, or did not hand out a connection in time: a request that
 * meets it is answered 503 `unavailable` (app.ts), not 500, and may be retried. The message is
 * the driver's, so /readyz and logs still say what happened.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause })
    this.name = 'DatabaseUnavailableError'
  }
}

/** Socket errors that mean "no way to the database" rather than "the statement failed". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])
/**
 * SQLSTATEs of a server that is down or refusing work: class 08 (connection exception),
 * 53300 too_many_connections, 57P01–57P03 (admin/crash shutdown, cannot connect now).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_STATES = /^(08...|53300|57P0[123])$/

/** node-postgres' own messages for a pool that timed out and a connection that went away. */
const DRIVER_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated|connect ETIMEDOUT|Client has encountered a connection error)/

export function isUnavailable(e: unknown): e is Error {
  if (!(e instanceof Error)) return false
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true
  return DRIVER_MESSAGES.test(e.message)
}

/** Rethrows a connection failure as DatabaseUnavailableError, anything else as it is. */
export function asUnavailable(e: unknown): never {
  throw isUnavailable(e) ? new DatabaseUnavailableError(e) : e
}
