import { afterEach, describe, expect, it } from 'vitest'
import { detectLang, translate, useI18n } from '../src/i18n/use-i18n'
import { en, zh } from '../src/i18n/messages'

afterEach(() => {
  useI18n().setLang('auto')
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

  it('setLang persists the choice and "auto" clears it', () => {
    const { setLang, lang, t } = useI18n()
    setLang('en')
    expect(localStorage.getItem('portal.lang')).toBe('en')
    expect(lang.value).toBe('en')
    expect(t('tab.me')).toBe('Me')
    setLang('zh')
    expect(t('tab.me')).toBe('我的')
    setLang('auto')
    expect(localStorage.getItem('portal.lang')).toBeNull()
  })
})

describe('messages', () => {
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
