import { generateOrg, type FixedMember } from './org-generator'
import type { Org } from './org-types'

/** The people named in docs, tests and the start banner. Everything else is generated. */
export const demoPeople: readonly (FixedMember & { note: string })[] = [
  { userid: 'zhangsan', name: '张三', position: '技术总监', departments: [2], leaderOf: [2], status: 1, legacy: true, gender: '1', alias: 'Sam Zhang', telephone: '021-60001001', note: '门户管理员，研发中心负责人' },
  { userid: 'lisi', name: '李四', position: '前端工程师', departments: [3], status: 1, legacy: false, note: '普通成员（2022 年后加入：无手机号/邮箱/头像）' },
  { userid: 'wangwu', name: '王五', position: '销售代表', departments: [12], status: 5, legacy: true, gender: '1', note: '已退出企业（status 5）' },
  { userid: 'zhaoliu', name: '赵六', position: '会计', departments: [17], status: 2, legacy: true, gender: '2', note: '已禁用（status 2）' },
  { userid: 'sunqi', name: '孙七', position: '行政专员', departments: [18], status: 4, legacy: false, note: '未激活（status 4）' },
  { userid: 'zhouba', name: '周八', position: '产品总监', departments: [7, 2], leaderOf: [7], status: 1, legacy: true, gender: '2', note: '产品部负责人，同时属于研发中心（两个部门）' },
  { userid: 'wujiu', name: '吴九', position: '客服专员', departments: [19], status: 1, legacy: false, note: '普通成员，客服中心' },
]

export interface OrgSize {
  departments?: number
  members?: number
  seed?: number
}

export const DEMO_ORG_SIZE = { departments: 24, members: 240, seed: 20_240_620 } as const

/**
 * The sizes a generated org may have (SANDBOX_MEMBERS, SANDBOX_DEPARTMENTS): at least the named
 * people and the named departments they belong to (ids count up from the root), at most what
 * the sandbox can hold in memory beside the app.
 */
export const ORG_SIZE_LIMITS = {
  members: { min: demoPeople.length, max: 500_000 },
  departments: { min: Math.max(...demoPeople.flatMap((p) => p.departments)), max: 50_000 },
} as const

export function buildDemoOrg(size: OrgSize = {}): Org {
  return generateOrg({
    departments: size.departments ?? DEMO_ORG_SIZE.departments,
    members: size.members ?? DEMO_ORG_SIZE.members,
    seed: size.seed ?? DEMO_ORG_SIZE.seed,
    fixed: demoPeople,
  })
}
