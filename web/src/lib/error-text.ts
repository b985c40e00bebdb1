import type { ApiRequestError } from '../api/http'
import type { MessageKey } from '../i18n/messages'

/** People need "is it me or the server", not the exception text. */
export function loadErrorKey(error: ApiRequestError | null | undefined): MessageKey {
  return error?.code === 'network' ? 'loadError.network' : 'loadError.server'
}
