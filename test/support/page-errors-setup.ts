import { afterAll, afterEach } from 'vitest'
import { takePageErrors } from './page-errors'

// Any `pageerror` fails the test it happened in (or the file, when it came after the last test).
function failOnPageErrors(): void {
  const errors = takePageErrors()
  if (errors.length > 0) throw new Error(`uncaught error(s) in the page:\n${errors.join('\n')}`)
}
afterEach(failOnPageErrors)
afterAll(failOnPageErrors)
