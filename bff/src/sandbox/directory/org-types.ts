/** The sandbox's in-memory directory, shaped after WeCom's department/get and user/get. */

/** Which family of positions a department hires for; sub-departments inherit it. */
export type DeptKind = 'root' | 'rd' | 'product' | 'marketing' | 'sales' | 'hr' | 'finance' | 'admin' | 'service'

export interface Department {
  id: number
  name: string
  name_en: string
  /** 0 for the root, as WeCom reports it. */
  parentid: number
  /** Larger = earlier among siblings (WeCom's convention). */
  order: number
  department_leader: string[]
  kind: DeptKind
  /** Root = 1. */
  depth: number
}

/** 1 active, 2 disabled, 4 not activated, 5 quit (https://developer.work.weixin.qq.com/document/path/90196). */
export type MemberStatus = 1 | 2 | 4 | 5
export const memberStatuses: readonly MemberStatus[] = [1, 2, 4, 5]

/**
 * Fields WeCom stopped returning to apps after 2022-06-20. Real WeCom decides by the app's
 * creation date; the sandbox decides per member so that one org shows both shapes.
 */
export interface SensitiveFields {
  mobile: string
  email: string
  /** WeCom sends gender as a string. */
  gender: '1' | '2'
}

export interface Member {
  /** Stored lower-case; WeCom treats userids case-insensitively. */
  userid: string
  name: string
  /** Parallel arrays, as in user/get. */
  department: number[]
  order: number[]
  is_leader_in_dept: number[]
  main_department: number
  position: string
  direct_leader: string[]
  status: MemberStatus
  alias: string
  telephone: string
  /** Present only for members "created before 2022". */
  sensitive?: SensitiveFields
}

export interface Org {
  name: string
  departments: Department[]
  members: Member[]
}
