const encoder = new TextEncoder()

/**
 * Text as the UTF-8 bytes a response body is written as. For bodies built once and served many
 * times (`/api/me`, a member's todo list, cached search answers, the department tree): given a
 * string, Node measures its byte length and encodes it again on every answer, which was a quarter
 * of `GET /api/todos`'s CPU (a 5 KB list of Chinese titles). TextEncoder gives an array of its
 * own, not a slice of Buffer's shared pool that would keep the pool's other bytes alive.
 */
export const utf8Bytes = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

/** A value's JSON as such bytes. */
export const jsonBytes = (value: unknown): Uint8Array<ArrayBuffer> => utf8Bytes(JSON.stringify(value))
