// URL and URLSearchParams are WHATWG globals in both Node and browsers. shared compiles against
// neither lib (it must stay free of DOM and node:*), so declare the part it uses.
declare class URLSearchParams {
  constructor(init?: Record<string, string> | string)
  get(name: string): string | null
  set(name: string, value: string): void
  delete(name: string): void
  toString(): string
  [Symbol.iterator](): IterableIterator<[string, string]>
}
declare class URL {
  constructor(url: string, base?: string)
  readonly host: string
  readonly hostname: string
  readonly hash: string
  readonly href: string
  readonly protocol: string
  readonly username: string
  readonly password: string
  readonly origin: string
  readonly pathname: string
  readonly search: string
  readonly searchParams: URLSearchParams
  toString(): string
}
