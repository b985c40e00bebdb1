import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/log'

function logged(data: object): Record<string, unknown> {
  const lines: string[] = []
  createLogger({ write: (l) => lines.push(l) }).warn('x', data)
  return JSON.parse(lines[0]!) as Record<string, unknown>
}

describe('logger redaction', () => {
  it('hides an OAuth code, in a field and in a URL', () => {
    const line = logged({ code: 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI', url: 'https://app/auth/callback?code=aB3dE5gH7jK9&state=s' })
    expect(line.code).toBe('[redacted]')
    expect(line.url).toBe('https://app/auth/callback?code=[redacted]&state=s')
  })

  it('keeps error codes an operator needs: Node, undici and PostgreSQL ones', () => {
    for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'ERR_INVALID_URL', 'UND_ERR_CONNECT_TIMEOUT', '57P01', '23505']) {
      expect(logged({ err: Object.assign(new Error('boom'), { code }) }).err).toMatchObject({ message: 'boom', code })
    }
  })
})
