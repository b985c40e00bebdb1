import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { detectLang, loadEnglish, translate, useI18n } from '../src/i18n/use-i18n'
import { zh } from '../src/i18n/messages'
import { en } from '../src/i18n/messages-en'

afterEach(async () => {
  vi.unstubAllGlobals()
  await useI18n().setLang('auto')
})

describe('language detection', () => {
  it('falls back to Chinese for anything that is not English', () => {
    expect(detectLang(null, 'zh-CN')).toBe('zh')
    expect(detectLang(null, 'zh-TW')).toBe('zh')
    expect(detectLang(null, 'ja-JP')).toBe('zh')
    expect(detectLang(null, undefined)).toBe('zh')
    expect(detectLang('fr', 'de-DE')).toBe('zh')
  })

  it('picks English from the browser language', () => {
    expect(detectLang(null, 'en-US')).toBe('en')
    expect(detectLang(null, 'EN-gb')).toBe('en')
  })

  it('a stored override wins over the browser', () => {
    expect(detectLang('zh', 'en-US')).toBe('zh')
    expect(detectLang('en', 'zh-CN')).toBe('en')
  })

  it('inside WeCom, follows the language set in the client over the phone\'s, until the member chooses one', () => {
    const wecom = (lang: string) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/${lang} ColorScheme/Light`
    expect(detectLang(null, 'zh-CN', wecom('en'))).toBe('en')
    expect(detectLang(null, 'en-US', wecom('zh'))).toBe('zh')
    expect(detectLang('zh', 'zh-CN', wecom('en'))).toBe('zh')
    expect(detectLang('en', 'en-US', wecom('zh'))).toBe('en')
    // A language the portal has no text in, or no token: the browser's language decides.
    expect(detectLang(null, 'en-US', wecom('ja'))).toBe('en')
    expect(detectLang(null, 'zh-CN', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Language/en')).toBe('zh')
  })

  it('"follow system" in the WeCom client goes back to the client\'s language', async () => {
    vi.stubGlobal('navigator', { language: 'zh-CN', userAgent: 'Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36 wxwork/4.1.22 Language/en Lang/en' })
    const { setLang, lang } = useI18n()
    await setLang('zh')
    expect(lang.value).toBe('zh')
    await setLang('auto')
    expect(lang.value).toBe('en')
  })

  it('setLang persists the choice and "auto" clears it', async () => {
    const { setLang, lang, t } = useI18n()
    await setLang('en')
    expect(localStorage.getItem('portal.lang')).toBe('en')
    expect(lang.value).toBe('en')
    expect(t('tab.me')).toBe('Me')
    await setLang('zh')
    expect(t('tab.me')).toBe('我的')
    await setLang('auto')
    expect(localStorage.getItem('portal.lang')).toBeNull()
  })
})

describe('English text, a lazy chunk', () => {
  it('the language switches once the English text is there: never a page half in each', async () => {
    // A fresh module: nothing English loaded yet, as on a first visit in Chinese.
    vi.resetModules()
    const { useI18n: fresh } = await import('../src/i18n/use-i18n')
    const { setLang, lang, t } = fresh()
    await setLang('zh')
    const switching = setLang('en')
    expect(lang.value).toBe('zh')
    expect(t('tab.me')).toBe('我的')
    await switching
    expect(lang.value).toBe('en')
    expect(t('tab.me')).toBe('Me')
    await setLang('auto')
  })

  it('when switches overlap, the last choice wins', async () => {
    const { setLang, lang } = useI18n()
    await Promise.all([setLang('en'), setLang('zh')])
    expect(lang.value).toBe('zh')
    await Promise.all([setLang('zh'), setLang('en')])
    expect(lang.value).toBe('en')
  })
})

describe('messages', () => {
  beforeAll(() => loadEnglish())

  it('English covers exactly the Chinese keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('')
  })

  it('interpolates variables and leaves unknown ones visible', () => {
    expect(translate('zh', 'problem.contact', { names: '李四' })).toBe('可联系：李四')
    expect(translate('en', 'greeting.line', { greeting: 'Good morning', name: 'Li' })).toBe('Good morning, Li')
    expect(translate('en', 'problem.contact')).toBe('Contact: {names}')
  })
})
