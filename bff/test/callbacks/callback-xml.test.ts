import { describe, expect, it } from 'vitest'
import { CallbackXmlError, parseEnvelope, parseMessage, parseXml, type XmlLimits } from '../../src/wecom/callback-xml'
import { createUserXml } from './helpers'

function codeOf(xml: string, limits?: XmlLimits): string | undefined {
  try {
    parseXml(xml, limits)
  } catch (e) {
    if (e instanceof CallbackXmlError) return e.code
    throw e
  }
  return undefined
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><Content>&lol3;</Content></xml>`

describe('the callback XML parser refuses anything but plain, well-formed XML', () => {
  it('refuses a DOCTYPE, an internal or external ENTITY, and billion laughs, before reading any of it', () => {
    expect(codeOf('<!DOCTYPE xml><xml><a>1</a></xml>')).toBe('dtd')
    expect(codeOf('<?xml version="1.0"?>\n<!doctype xml [<!ENTITY x "y">]><xml><a>&x;</a></xml>')).toBe('dtd')
    expect(codeOf('<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>')).toBe('dtd')
    expect(codeOf(BILLION_LAUGHS)).toBe('dtd')
    // a declaration smuggled inside an element
    expect(codeOf('<xml><!ENTITY x "y"><a>1</a></xml>')).toBe('dtd')
    expect(codeOf('<xml><a><!DOCTYPE x></a></xml>')).toBe('dtd')
  })

  it('never expands entities it does not know (there is no DTD to define them)', () => {
    expect(codeOf('<xml><a>&xxe;</a></xml>')).toBe('malformed')
    expect(codeOf('<xml><a>&lol3;</a></xml>')).toBe('malformed')
    expect(codeOf('<xml><a>fish & chips</a></xml>')).toBe('malformed')
    expect(codeOf('<xml><a>&#0;</a></xml>')).toBe('malformed')
    expect(codeOf('<xml><a>&#xD800;</a></xml>')).toBe('malformed')
  })

  it('refuses documents over the size cap, counted in UTF-8 bytes', () => {
    const big = `<xml><a>${'x'.repeat(300 * 1024)}</a></xml>`
    expect(codeOf(big)).toBe('too_large')
    // 100 000 Chinese characters: 100 000 UTF-16 units but 300 000 bytes
    expect(codeOf(`<xml><a>${'字'.repeat(100_000)}</a></xml>`)).toBe('too_large')
    expect(codeOf('<xml><a>12345</a></xml>', { maxBytes: 10 })).toBe('too_large')
    expect(codeOf(`<xml>${'<a>1</a>'.repeat(50)}</xml>`, { maxElements: 20 })).toBe('too_large')
  })

  it('refuses nesting deeper than the cap', () => {
    expect(codeOf(`${'<a>'.repeat(40)}x${'</a>'.repeat(40)}`)).toBe('too_deep')
    expect(codeOf('<xml><a><b><c>1</c></b></a></xml>', { maxDepth: 3 })).toBe('too_deep')
  })

  it('refuses malformed documents instead of guessing', () => {
    const bad = [
      '',
      'hello',
      '<xml>',
      '<xml><a>1</a>',
      '<xml><a>1</b></xml>',
      '<xml><a>1</a></xml><xml/>',
      '<xml><a>1</a></xml>trailing',
      '<xml>text<a>1</a></xml>',
      '<xml><a b=1>x</a></xml>',
      '<xml><a><![CDATA[never closed</a></xml>',
      '<xml><!-- never closed </xml>',
      '<xml><?php echo 1 ?></xml>',
      '<?xml-stylesheet href="x"?><xml/>',
      '<xml><1a>x</1a></xml>',
      '<xml><__proto__><polluted>1</polluted></__proto__></xml>',
      '<xml><a>x < y</a></xml>',
    ]
    for (const xml of bad) expect(codeOf(xml), xml).toBe('malformed')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('the callback XML parser reads what WeCom sends', () => {
  it('keeps CDATA verbatim: markup, ampersands and entity-looking text inside are plain text', () => {
    const doc = parseXml('<xml><Content><![CDATA[<b>a & b</b> &amp; <!DOCTYPE x> ]]]]></Content></xml>')
    expect(doc).toEqual({ xml: { Content: '<b>a & b</b> &amp; <!DOCTYPE x> ]]' } })
  })

  it('decodes the five predefined entities and character references outside CDATA', () => {
    expect(parseXml('<xml><a>&lt;&gt;&amp;&quot;&apos;&#20320;&#x597D;</a></xml>')).toEqual({ xml: { a: '<>&"\'你好' } })
  })

  it('accepts a BOM, an XML declaration, comments, attributes and whitespace between elements', () => {
    const doc = parseXml('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi -->\n<xml>\n  <a id="1">x</a>\n  <b/>\n</xml>\n')
    expect(doc).toEqual({ xml: { a: 'x', b: '' } })
  })

  it('keeps nested elements (sys_approval_change) and turns repeated names into arrays', () => {
    const xml = `<xml><ToUserName><![CDATA[ww1cSD21f1e9c0caaa]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1571732272</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[sys_approval_change]]></Event><AgentID>3010040</AgentID>
<ApprovalInfo><SpNoStr><![CDATA[202506110001]]></SpNoStr><SpNo>202506110001</SpNo>
<SpName><![CDATA[示例模板]]></SpName><SpStatus>1</SpStatus>
<Applyer><UserId><![CDATA[WuJunJie]]></UserId><Party><![CDATA[1]]></Party></Applyer>
<SpRecord><SpStatus>1</SpStatus><ApproverAttr>2</ApproverAttr>
<Details><Approver><UserId>a1</UserId></Approver><Speech/><SpStatus>1</SpStatus><SpTime>0</SpTime></Details>
<Details><Approver><UserId>a2</UserId></Approver><Speech/><SpStatus>2</SpStatus><SpTime>1571732300</SpTime></Details></SpRecord>
<StatuChangeEvent>1</StatuChangeEvent></ApprovalInfo></xml>`
    const msg = parseMessage(xml)
    expect(msg).toMatchObject({ msgType: 'event', event: 'sys_approval_change', agentId: '3010040', createTime: 1571732272, fromUserName: 'sys' })
    expect(msg.fields.ApprovalInfo).toEqual({
      SpNoStr: '202506110001',
      SpNo: '202506110001',
      SpName: '示例模板',
      SpStatus: '1',
      Applyer: { UserId: 'WuJunJie', Party: '1' },
      SpRecord: {
        SpStatus: '1',
        ApproverAttr: '2',
        Details: [
          { Approver: { UserId: 'a1' }, Speech: '', SpStatus: '1', SpTime: '0' },
          { Approver: { UserId: 'a2' }, Speech: '', SpStatus: '2', SpTime: '1571732300' },
        ],
      },
      StatuChangeEvent: '1',
    })
  })
})

describe('envelope and message helpers', () => {
  it('parseEnvelope refuses an envelope without Encrypt, or with a nested one', () => {
    expect(() => parseEnvelope('<xml><ToUserName>x</ToUserName></xml>')).toThrow(expect.objectContaining({ code: 'missing_field' }))
    expect(() => parseEnvelope('<xml><Encrypt><a>1</a></Encrypt></xml>')).toThrow(expect.objectContaining({ code: 'malformed' }))
    expect(() => parseEnvelope('<root><Encrypt>abc</Encrypt></root>')).toThrow(expect.objectContaining({ code: 'malformed' }))
  })

  it('parseEnvelope reads the official sample envelope', () => {
    const env = parseEnvelope('<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypE+v/Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>')
    expect(env).toEqual({ toUserName: 'wx5823bf96d3bd56c7', agentId: '218', encrypt: 'RypE+v/Q==' })
  })

  it('parseMessage refuses a message missing a common field or with a bad CreateTime', () => {
    const ok = createUserXml('lisi')
    expect(() => parseMessage(ok.replace(/<MsgType>.*?<\/MsgType>/, ''))).toThrow(expect.objectContaining({ code: 'missing_field' }))
    expect(() => parseMessage(ok.replace(/<FromUserName>.*?<\/FromUserName>/, ''))).toThrow(expect.objectContaining({ code: 'missing_field' }))
    expect(() => parseMessage(ok.replace('<CreateTime>1700000000', '<CreateTime>yesterday'))).toThrow(expect.objectContaining({ code: 'malformed' }))
    expect(() => parseMessage('<xml>just text</xml>')).toThrow(expect.objectContaining({ code: 'malformed' }))
  })

  it('parseMessage gives the common fields typed and every field as parsed', () => {
    const msg = parseMessage(createUserXml('lisi'))
    expect(msg).toMatchObject({ toUserName: 'wx5823bf96d3bd56c7', fromUserName: 'sys', createTime: 1_700_000_000, msgType: 'event', event: 'change_contact', changeType: 'create_user' })
    expect(msg.agentId).toBeUndefined()
    expect(msg.fields).toMatchObject({ UserID: 'lisi', Name: '张三', Department: '1,2', IsLeaderInDept: '1,0', Status: '1' })
    expect(msg.fields.ExtAttr).toEqual({
      Item: [
        { Name: '爱好', Type: '0', Text: { Value: '旅游' } },
        { Name: '卡号', Type: '1', Web: { Title: '企业微信', Url: 'https://work.weixin.qq.com' } },
      ],
    })
    // what goes into callback_events.payload comes back the same
    expect(JSON.parse(JSON.stringify(msg))).toEqual(msg)
  })
})
