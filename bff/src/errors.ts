import type { ErrorCode } from '@portal/shared'

/** An error the client should see as is; onError turns it into the shared error shape. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { hint?: string; fields?: Record<string, string>; errcode?: number } = {},
  ) {
    super(message)
    this.name = 'ApiFailure'
  }
}
