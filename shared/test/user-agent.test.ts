import { describe, expect, it } from 'vitest'
import { detectEntryContext, isWeComClient, wecomColorScheme, wecomLanguage, wecomVersion } from '../src/user-agent'

const ios = 'Mozilla/5.0 (iPhone; CPU iPhone OS 14_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/3.1.9 MicroMessenger/7.0.1 Language/zh ColorScheme/Light'
const mac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)wxwork/3.1.8 (MicroMessenger/6.2) WeChat/2.0.4'
const win = 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat MailPlugin_Electron WeMail embeddisk'
const android = 'Mozilla/5.0 (Linux; Android 13; V2254A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh'
const wechat = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40 NetType/WIFI Language/zh_CN'
const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

describe('entry context', () => {
  it('treats plain WeChat and browsers as browsers', () => {
    expect(detectEntryContext(wechat)).toBe('browser')
    expect(detectEntryContext(chrome)).toBe('browser')
    expect(detectEntryContext('')).toBe('browser')
    expect(detectEntryContext(undefined)).toBe('browser')
    expect(isWeComClient(wechat)).toBe(false)
  })
  it('tells WeCom mobile from desktop', () => {
    expect(detectEntryContext(ios)).toBe('wecom-mobile')
    expect(detectEntryContext(android)).toBe('wecom-mobile')
    expect(detectEntryContext(mac)).toBe('wecom-desktop')
    expect(detectEntryContext(win)).toBe('wecom-desktop')
    expect(wecomVersion(win)).toBe('4.1.10')
    expect(wecomVersion(chrome)).toBeNull()
  })
})

// Real clients' tokens: iOS `… Language/zh ColorScheme/Dark`, Android `… ColorScheme/Dark … Language/en Lang/en`.
const iosDark = ios.replace('ColorScheme/Light', 'ColorScheme/Dark')
const androidEnDark =
  'Mozilla/5.0 (Linux; Android 11; M2102K1C Build/RKQ1.201112.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/77.0.3865.120 MQQBrowser/6.2 TBS/045735 Mobile Safari/537.36 wxwork/3.1.18 ColorScheme/Dark MicroMessenger/7.0.1 NetType/4G Language/en Lang/en'

describe('theme and language the WeCom client reports', () => {
  it('ignores the tokens outside WeCom: plain WeChat and browsers say nothing the portal follows', () => {
    expect(wecomColorScheme(`${wechat} ColorScheme/Dark`)).toBeNull()
    expect(wecomLanguage(wechat)).toBeNull()
    expect(wecomColorScheme(`${chrome} ColorScheme/Dark`)).toBeNull()
    expect(wecomLanguage(`${chrome} Language/en`)).toBeNull()
    expect(wecomColorScheme(undefined)).toBeNull()
    expect(wecomLanguage('')).toBeNull()
  })
  it('is null when a WeCom client does not say, or says a language the portal has no text in', () => {
    expect(wecomColorScheme(win)).toBeNull()
    expect(wecomColorScheme(mac)).toBeNull()
    expect(wecomLanguage(mac)).toBeNull()
    expect(wecomLanguage(android.replace('Language/zh', 'Language/ja'))).toBeNull()
    expect(wecomColorScheme(ios.replace('ColorScheme/Light', 'ColorScheme/Sepia'))).toBeNull()
    expect(wecomLanguage(android.replace('Language/zh', 'Language/english'))).toBeNull()
  })
  it('reads the client\'s theme', () => {
    expect(wecomColorScheme(ios)).toBe('light')
    expect(wecomColorScheme(iosDark)).toBe('dark')
    expect(wecomColorScheme(androidEnDark)).toBe('dark')
  })
  it('reads the client\'s language, with or without a region', () => {
    expect(wecomLanguage(ios)).toBe('zh')
    expect(wecomLanguage(win)).toBe('zh')
    expect(wecomLanguage(androidEnDark)).toBe('en')
    expect(wecomLanguage(android.replace('Language/zh', 'Language/en_US'))).toBe('en')
    expect(wecomLanguage(android.replace('Language/zh', 'Language/zh_CN'))).toBe('zh')
  })
})
