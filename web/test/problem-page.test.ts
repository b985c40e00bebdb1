import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import ProblemPage from '../src/pages/ProblemPage.vue'
import { useI18n } from '../src/i18n/use-i18n'
import { mountAt } from './mount-helpers'

let wrapper: VueWrapper | undefined
beforeEach(() => {
  useI18n().setLang('zh')
  window.__PORTAL_BASE__ = undefined
})
afterEach(() => {
  wrapper?.unmount()
  useI18n().setLang('auto')
})

const adminHint = (w: VueWrapper) => w.find('[data-test="admin-hint"]')

describe('ProblemPage', () => {
  it('wecom_error 60020 names the egress IP to add to 企业可信IP', async () => {
    wrapper = await mountAt(ProblemPage, '/problem?reason=wecom_error&errcode=60020&ip=203.0.113.7')
    expect(wrapper.text()).toContain('企业微信返回错误')
    expect(wrapper.text()).toContain('不安全的访问 IP')
    expect(wrapper.text()).toContain('错误码 60020')
    const hint = adminHint(wrapper)
    expect(hint.exists()).toBe(true)
    expect(hint.text()).toContain('给管理员')
    expect(hint.text()).toContain('企业可信IP')
    expect(hint.text()).toContain('203.0.113.7')
  })

  it('wecom_error 50001 names the domain to set as trusted domain', async () => {
    wrapper = await mountAt(ProblemPage, '/problem?reason=wecom_error&errcode=50001&domain=portal.example.edu.cn')
    expect(wrapper.text()).toContain('redirect_uri 未登记可信域名')
    expect(adminHint(wrapper).text()).toContain('portal.example.edu.cn')
  })

  it('no_role shows the admins to contact', async () => {
    wrapper = await mountAt(ProblemPage, `/problem?reason=no_role&contact=${encodeURIComponent('李四,王五')}`)
    expect(wrapper.text()).toContain('暂无权限 — 请联系管理员')
    expect(wrapper.find('[data-test="contact"]').text()).toContain('李四、王五')
  })

  it('state_invalid says what happened: another browser, a used link or a broken one is not "open too long"', async () => {
    const text = async (why: string) => {
      wrapper?.unmount()
      wrapper = await mountAt(ProblemPage, `/problem?reason=state_invalid&why=${why}`)
      return wrapper.text()
    }
    const other = await text('other_browser')
    expect(other).toContain('另一个浏览器或企业微信客户端中发起')
    expect(other).not.toContain('停留太久')
    expect(await text('used')).toContain('已经完成过一次登录')
    expect(await text('invalid')).toContain('不完整或已被改动')
    expect(await text('expired')).toContain('登录页停留太久')
    // Anything else: the general text, never the raw value.
    expect(await text('%3Cb%3Ex')).toContain('登录页停留太久')
  })

  it('state_invalid offers a retry through /auth/login with the sanitized returnTo', async () => {
    wrapper = await mountAt(ProblemPage, `/problem?reason=state_invalid&returnTo=${encodeURIComponent('/me?tab=session')}`)
    expect(wrapper.text()).toContain('登录链接已过期')
    const action = wrapper.find('[data-test="problem-action"]')
    expect(action.attributes('href')).toBe('/auth/login?returnTo=%2Fme%3Ftab%3Dsession')
    expect(action.text()).toContain('重新登录')
  })

  it('never trusts an off-site returnTo', async () => {
    wrapper = await mountAt(ProblemPage, `/problem?reason=code_invalid&returnTo=${encodeURIComponent('//evil.example/x')}`)
    expect(wrapper.find('[data-test="problem-action"]').attributes('href')).toBe('/auth/login?returnTo=%2F')
  })

  it('an unknown reason or errcode still reads as plain words, never raw data', async () => {
    wrapper = await mountAt(ProblemPage, '/problem?reason=%3Cscript%3E')
    expect(wrapper.text()).toContain('登录未完成')
    wrapper.unmount()
    wrapper = await mountAt(ProblemPage, '/problem?reason=wecom_error&errcode=99999')
    expect(wrapper.text()).toContain('企业微信返回了错误码 99999')
    expect(adminHint(wrapper).exists()).toBe(false)
  })

  it('speaks English when asked', async () => {
    await useI18n().setLang('en')
    wrapper = await mountAt(ProblemPage, '/problem?reason=wecom_error&errcode=60020&ip=198.51.100.9')
    expect(wrapper.text()).toContain('For admins')
    expect(adminHint(wrapper).text()).toContain('198.51.100.9')
  })
})
