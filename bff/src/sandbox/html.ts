/**
 * A tiny escaping template: every `${value}` is HTML-escaped unless it is already `Html`
 * (the result of another `html` template or of `raw()`), so pages are XSS-safe by default.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** Trusted markup only (constant strings, generated SVG). */
export function raw(markup: string): Html {
  return new Html(markup)
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => entities[ch]!)
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? ''
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '')
  })
  return new Html(out)
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  if (v === null || v === undefined || v === false) return ''
  return esc(String(v))
}
