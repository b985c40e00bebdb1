// A small strict parser for the XML WeCom sends to callbacks (https://developer.work.weixin.qq.com/document/path/90930, https://developer.work.weixin.qq.com/document/path/90970, https://developer.work.weixin.qq.com/document/path/91815):
// flat or nested elements, CDATA, no attributes that matter. Written by hand rather than with a
// general XML library because the safe subset is tiny: no DTD at all (so no entity expansion,
// no external entities, no billion laughs), only the five predefined entities and character
// references, hard caps on size, depth and element count, and anything malformed is an error
// instead of a best guess.

export type XmlValue = string | XmlNode | Array<string | XmlNode>
/** Element name → text (leaf), child elements (branch), or an array when a name repeats. */
export interface XmlNode {
  [name: string]: XmlValue
}

export type CallbackXmlErrorCode = 'too_large' | 'dtd' | 'malformed' | 'too_deep' | 'missing_field'

export class CallbackXmlError extends Error {
  override readonly name = 'CallbackXmlError'
  constructor(
    readonly code: CallbackXmlErrorCode,
    detail: string,
  ) {
    super(`WeCom callback XML: ${detail}`)
  }
}

export interface XmlLimits {
  /** UTF-8 bytes; default 256 KB. */
  maxBytes?: number
  /** Nesting of elements including the root; default 32. */
  maxDepth?: number
  /** Elements in the whole document; default 10 000. */
  maxElements?: number
}

export const XML_DEFAULT_MAX_BYTES = 256 * 1024

const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y
const WS = /[ \t\r\n]*/y
const TEXT = /[^<&]+/y
const ATTR = /([A-Za-z_][A-Za-z0-9_.:-]*)[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*')/y
const REF = /&(?:#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6})|(lt|gt|amp|quot|apos));/y
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const XML_DECL = /<\?xml[ \t\r\n][^?<>]*\?>/y

/** The document as `{ rootName: value }`. Throws CallbackXmlError. */
export function parseXml(xml: string, limits: XmlLimits = {}): XmlNode {
  const maxBytes = limits.maxBytes ?? XML_DEFAULT_MAX_BYTES
  // The cheap length test first: a UTF-16 length over the cap is over it in UTF-8 too.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) throw new CallbackXmlError('too_large', `larger than ${maxBytes} bytes`)
  return new Parser(xml, limits.maxDepth ?? 32, limits.maxElements ?? 10_000).document()
}

class Parser {
  private pos = 0
  private elements = 0

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
    private readonly maxElements: number,
  ) {}

  document(): XmlNode {
    if (this.src.charCodeAt(0) === 0xfeff) this.pos = 1
    XML_DECL.lastIndex = this.pos
    if (XML_DECL.test(this.src)) this.pos = XML_DECL.lastIndex
    this.misc()
    if (this.src[this.pos] !== '<') this.fail('expected a root element')
    const [name, value] = this.element(1)
    this.misc()
    if (this.pos < this.src.length) this.fail('content after the root element')
    return { [name]: value }
  }

  /** Whitespace and comments between top-level markup; a DTD here is the classic attack. */
  private misc(): void {
    for (;;) {
      this.skip(WS)
      if (this.src.startsWith('<!--', this.pos)) this.comment()
      else if (this.src.startsWith('<!', this.pos) || this.src.startsWith('<?', this.pos)) this.refuseMarkup()
      else return
    }
  }

  private element(depth: number): [string, string | XmlNode] {
    if (depth > this.maxDepth) throw new CallbackXmlError('too_deep', `nested deeper than ${this.maxDepth}`)
    if (++this.elements > this.maxElements) throw new CallbackXmlError('too_large', `more than ${this.maxElements} elements`)
    this.pos++ // '<'
    const name = this.name()
    for (;;) {
      this.skip(WS)
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2
        return [name, '']
      }
      if (this.src[this.pos] === '>') break
      // Attributes are legal XML but carry nothing in WeCom's payloads: checked, then dropped.
      if (!this.skip(ATTR)) this.fail(`bad attribute in <${name}>`)
    }
    this.pos++ // '>'

    let text = ''
    let children: XmlNode | undefined
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`<${name}> is not closed`)
      if (this.src[this.pos] === '&') text += this.reference()
      else if (this.src[this.pos] !== '<') text += this.take(TEXT)
      else if (this.src.startsWith('</', this.pos)) break
      else if (this.src.startsWith('<![CDATA[', this.pos)) text += this.cdata()
      else if (this.src.startsWith('<!--', this.pos)) this.comment()
      else if (this.src.startsWith('<!', this.pos) || this.src.startsWith('<?', this.pos)) this.refuseMarkup()
      else {
        const [childName, childValue] = this.element(depth + 1)
        children ??= {}
        add(children, childName, childValue)
      }
    }
    this.pos += 2 // '</'
    if (this.name() !== name) this.fail(`<${name}> closed by a different tag`)
    this.skip(WS)
    if (this.src[this.pos] !== '>') this.fail(`bad closing tag for <${name}>`)
    this.pos++
    if (!children) return [name, text]
    // WeCom never mixes text and elements; indentation between elements is the only text allowed.
    if (text.trim()) this.fail(`<${name}> mixes text and elements`)
    return [name, children]
  }

  private name(): string {
    const name = this.take(NAME)
    if (!name) this.fail('expected an element name')
    // Would reach Object.prototype through an object literal; no WeCom field is called that.
    if (name === '__proto__') this.fail('forbidden element name')
    return name
  }

  private cdata(): string {
    const start = this.pos + 9
    const end = this.src.indexOf(']]>', start)
    if (end < 0) this.fail('unterminated CDATA')
    this.pos = end + 3
    return this.src.slice(start, end)
  }

  private comment(): void {
    const end = this.src.indexOf('-->', this.pos + 4)
    if (end < 0) this.fail('unterminated comment')
    this.pos = end + 3
  }

  private reference(): string {
    REF.lastIndex = this.pos
    const m = REF.exec(this.src)
    // Any other named entity would need a DTD, which we never read: undefined → refuse.
    if (!m) this.fail('unknown or malformed entity reference')
    this.pos = REF.lastIndex
    if (m[3]) return PREDEFINED[m[3]]!
    const cp = m[1] ? Number.parseInt(m[1], 10) : Number.parseInt(m[2]!, 16)
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('invalid character reference')
    return String.fromCodePoint(cp)
  }

  private refuseMarkup(): never {
    if (/^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(this.src.slice(this.pos, this.pos + 10))) {
      throw new CallbackXmlError('dtd', 'DOCTYPE/ENTITY declarations are not accepted')
    }
    this.fail('unexpected markup declaration or processing instruction')
  }

  private skip(re: RegExp): boolean {
    return this.take(re) !== ''
  }

  private take(re: RegExp): string {
    re.lastIndex = this.pos
    const m = re.exec(this.src)
    if (!m) return ''
    this.pos = re.lastIndex
    return m[0]
  }

  private fail(detail: string): never {
    throw new CallbackXmlError('malformed', `${detail} (at ${this.pos})`)
  }
}

function add(node: XmlNode, name: string, value: string | XmlNode): void {
  if (!Object.hasOwn(node, name)) node[name] = value
  else {
    const prev = node[name]!
    node[name] = Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
}

// ---- WeCom shapes --------------------------------------------------------------------------

/** The outer POST body: who it is for and the ciphertext. */
export interface CallbackEnvelope {
  toUserName: string
  agentId?: string
  encrypt: string
}

/** A decrypted callback. `fields` holds every child of `<xml>` (common ones included), nested elements as objects. */
export interface CallbackMessage {
  toUserName: string
  fromUserName: string
  createTime: number
  msgType: string
  event?: string
  changeType?: string
  agentId?: string
  fields: Record<string, unknown>
}

export function parseEnvelope(xml: string, limits?: XmlLimits): CallbackEnvelope {
  const root = rootOf(parseXml(xml, limits))
  const encrypt = required(root, 'Encrypt')
  const agentId = optional(root, 'AgentID')
  return { toUserName: optional(root, 'ToUserName') ?? '', encrypt, ...(agentId ? { agentId } : {}) }
}

export function parseMessage(xml: string, limits?: XmlLimits): CallbackMessage {
  const root = rootOf(parseXml(xml, limits))
  const createTime = required(root, 'CreateTime').trim()
  if (!/^\d{1,12}$/.test(createTime)) throw new CallbackXmlError('malformed', 'CreateTime is not a unix time')
  const event = optional(root, 'Event')
  const changeType = optional(root, 'ChangeType')
  const agentId = optional(root, 'AgentID')
  return {
    toUserName: required(root, 'ToUserName'),
    fromUserName: required(root, 'FromUserName'),
    createTime: Number(createTime),
    msgType: required(root, 'MsgType'),
    ...(event ? { event } : {}),
    ...(changeType ? { changeType } : {}),
    ...(agentId ? { agentId: agentId.trim() } : {}),
    fields: root,
  }
}

function rootOf(doc: XmlNode): XmlNode {
  const root = doc.xml
  if (root === undefined) throw new CallbackXmlError('malformed', 'root element is not <xml>')
  if (typeof root !== 'object' || Array.isArray(root)) throw new CallbackXmlError('malformed', '<xml> has no elements')
  return root
}

function optional(node: XmlNode, name: string): string | undefined {
  const v = node[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new CallbackXmlError('malformed', `<${name}> should be text`)
  return v
}

function required(node: XmlNode, name: string): string {
  const v = optional(node, name)
  if (!v) throw new CallbackXmlError('missing_field', `<${name}> is missing`)
  return v
}
