import type { DeptKind } from './org-types'

/** The fixed top of the demo company; generated departments hang below these. */
export interface NamedDepartment {
  id: number
  name: string
  name_en: string
  parentid: number
  kind: DeptKind
}

export const COMPANY_NAME = '星河科技有限公司'

export const namedDepartments: readonly NamedDepartment[] = [
  { id: 1, name: COMPANY_NAME, name_en: 'Xinghe Technology', parentid: 0, kind: 'root' },
  { id: 2, name: '研发中心', name_en: 'R&D Center', parentid: 1, kind: 'rd' },
  { id: 3, name: '前端组', name_en: 'Frontend', parentid: 2, kind: 'rd' },
  { id: 4, name: '后端组', name_en: 'Backend', parentid: 2, kind: 'rd' },
  { id: 5, name: '测试组', name_en: 'QA', parentid: 2, kind: 'rd' },
  { id: 6, name: '运维组', name_en: 'Operations', parentid: 2, kind: 'rd' },
  { id: 7, name: '产品部', name_en: 'Product', parentid: 1, kind: 'product' },
  { id: 8, name: '用户体验组', name_en: 'UX', parentid: 7, kind: 'product' },
  { id: 9, name: '市场部', name_en: 'Marketing', parentid: 1, kind: 'marketing' },
  { id: 10, name: '销售部', name_en: 'Sales', parentid: 1, kind: 'sales' },
  { id: 11, name: '华东大区', name_en: 'East China', parentid: 10, kind: 'sales' },
  { id: 12, name: '上海销售组', name_en: 'Shanghai Sales', parentid: 11, kind: 'sales' },
  { id: 13, name: '杭州销售组', name_en: 'Hangzhou Sales', parentid: 11, kind: 'sales' },
  { id: 14, name: '华南大区', name_en: 'South China', parentid: 10, kind: 'sales' },
  { id: 15, name: '华北大区', name_en: 'North China', parentid: 10, kind: 'sales' },
  { id: 16, name: '人力资源部', name_en: 'Human Resources', parentid: 1, kind: 'hr' },
  { id: 17, name: '财务部', name_en: 'Finance', parentid: 1, kind: 'finance' },
  { id: 18, name: '行政部', name_en: 'Administration', parentid: 1, kind: 'admin' },
  { id: 19, name: '客服中心', name_en: 'Customer Service', parentid: 1, kind: 'service' },
]

/** Titles per kind: the head of a division (depth 2), the head of a team below it, and staff. */
export interface KindPositions {
  head: string
  teamHead: string
  staff: readonly string[]
}

export const positionsByKind: Record<DeptKind, KindPositions> = {
  root: { head: '总经理', teamHead: '部门经理', staff: ['总经理助理', '法务专员', '审计专员', '投资经理'] },
  rd: { head: '研发总监', teamHead: '技术经理', staff: ['前端工程师', '后端工程师', 'Java工程师', '测试工程师', '运维工程师', '架构师', '算法工程师', '移动端工程师'] },
  product: { head: '产品总监', teamHead: '产品组长', staff: ['产品经理', '产品助理', '交互设计师', 'UI设计师', '用户研究员'] },
  marketing: { head: '市场总监', teamHead: '市场经理', staff: ['市场专员', '品牌经理', '新媒体运营', '活动策划'] },
  sales: { head: '销售总监', teamHead: '销售经理', staff: ['销售代表', '大客户经理', '销售助理', '渠道经理', '售前工程师'] },
  hr: { head: '人力资源总监', teamHead: 'HR经理', staff: ['招聘专员', 'HRBP', '薪酬福利专员', '培训专员'] },
  finance: { head: '财务总监', teamHead: '财务经理', staff: ['会计', '出纳', '财务分析师', '税务专员'] },
  admin: { head: '行政经理', teamHead: '行政主管', staff: ['行政专员', '前台', '采购专员'] },
  service: { head: '客服经理', teamHead: '客服主管', staff: ['客服专员', '售后工程师', '质检专员'] },
}

/** Names for generated sub-departments, by the kind they inherit. */
export const subDepartmentNames: Record<DeptKind, readonly string[]> = {
  root: ['战略发展部', '法务部', '投资部', '审计部'],
  rd: ['平台组', '数据组', '移动组', '基础架构组', '算法组', '安全组', '效能组', '中间件组', '搜索组', '支付组'],
  product: ['增长产品组', '商业化产品组', '设计组', '用户研究组'],
  marketing: ['品牌组', '渠道组', '活动组', '内容组', '公关组'],
  sales: ['北京', '上海', '广州', '深圳', '杭州', '南京', '苏州', '成都', '武汉', '西安', '重庆', '天津', '长沙', '郑州', '青岛', '厦门', '合肥', '济南'].map((city) => `${city}销售组`),
  hr: ['招聘组', '培训组', '员工关系组', '薪酬组'],
  finance: ['核算组', '资金组', '税务组', '预算组'],
  admin: ['采购组', '后勤组', '资产组'],
  service: ['热线组', '在线客服组', '售后组', '质检组'],
}
