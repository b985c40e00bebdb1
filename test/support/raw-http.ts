import { connect } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Writes `requests` (raw HTTP/1.1 bytes) back to back on one TCP connection, as a keep-alive
 * client may, and reads answers until every request has one or the server closes the
 * connection. `closedByServer` tells the two apart: a request neither answered nor refused by a
 * close would leave this waiting (and the test timing out), which is exactly the silent drop.
 */
export function exchange(url: string, requests: (string | Buffer)[]): Promise<{ responses: RawResponse[]; closedByServer: boolean }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname)
    let buffered: Buffer = Buffer.alloc(0)
    const responses: RawResponse[] = []
    const finish = (closedByServer: boolean) => {
      socket.destroy()
      resolve({ responses, closedByServer })
    }
    socket.on('data', (d) => {
      buffered = Buffer.concat([buffered, d])
      for (let r = takeResponse(buffered); r; r = takeResponse(buffered)) {
        responses.push(r.response)
        buffered = r.rest
      }
      if (responses.length === requests.length) finish(false)
    })
    socket.on('end', () => finish(true))
    // The server may reset rather than close when it leaves part of a body unread.
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? finish(true) : reject(e)))
    socket.on('connect', () => {
      for (const r of requests) socket.write(r)
    })
  })
}

function takeResponse(buf: Buffer): { response: RawResponse; rest: Buffer } | undefined {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim()
  const length = Number(headers['content-length'] ?? 0)
  if (buf.length < end + 4 + length) return undefined
  return {
    response: { status: Number(statusLine!.split(' ')[1]), headers, body: buf.subarray(end + 4, end + 4 + length).toString('utf8') },
    rest: buf.subarray(end + 4 + length),
  }
}

/** A request whose body is sent chunked (no Content-Length): `chunks` chunks of 1 KiB. */
export function chunkedRequest(method: string, path: string, headers: Record<string, string>, chunks: number): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Transfer-Encoding: chunked', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n')
  const chunk = `400\r\n${'A'.repeat(1024)}\r\n`
  return Buffer.from(head + chunk.repeat(chunks) + '0\r\n\r\n')
}

export const plainGet = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`

/**
 * A request a slow client is still sending: `first` (the head and part of the body) goes out at
 * once, the rest on `finish`, which resolves with the answer and whether the server then closed
 * the connection (waited for up to `closeWaitMs`).
 */
export async function requestInParts(url: string, first: string | Buffer): Promise<{ finish(rest: string | Buffer, closeWaitMs?: number): Promise<{ response?: RawResponse; closedByServer: boolean }> }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname)
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  let buffered: Buffer = Buffer.alloc(0)
  let response: RawResponse | undefined
  let answered!: () => void
  const gotResponse = new Promise<void>((r) => (answered = r))
  const closed = new Promise<void>((resolve) => {
    socket.on('end', resolve)
    socket.on('close', resolve)
    socket.on('error', () => resolve())
  })
  void closed.then(() => answered())
  socket.on('data', (d) => {
    buffered = Buffer.concat([buffered, d])
    const r = takeResponse(buffered)
    if (r && !response) {
      response = r.response
      answered()
    }
  })
  socket.write(first)
  return {
    async finish(rest, closeWaitMs = 2_000) {
      socket.write(rest)
      await gotResponse
      let timer: ReturnType<typeof setTimeout> | undefined
      const closedByServer = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), closeWaitMs)))])
      clearTimeout(timer)
      socket.destroy()
      return { response, closedByServer }
    },
  }
}
