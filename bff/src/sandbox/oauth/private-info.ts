import type { Member } from '../directory/org-types'

/** The fields auth/getuserdetail adds after the member agreed (https://developer.work.weixin.qq.com/document/path/95833). */
export interface PrivateInfo {
  mobile: string
  email: string
  gender: '1' | '2'
  address: string
}

const EMAIL_DOMAIN = 'xinghe-tech.com'
const DISTRICTS = ['深圳市南山区科技园', '广州市海珠区新港中路', '北京市海淀区中关村大街', '上海市浦东新区张江路', '杭州市西湖区文三路']

/**
 * Every member has private fields in WeCom, whatever an app's user/get shows: members "created
 * before 2022" keep theirs, the others get stable made-up ones (same every run).
 */
export function privateInfoFor(m: Member): PrivateInfo {
  let h = 0
  for (const ch of m.userid) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003
  const address = `${DISTRICTS[h % DISTRICTS.length]}${(h % 300) + 1}号`
  if (m.sensitive) return { ...m.sensitive, address }
  return {
    mobile: `139${String(10_000_000 + (h % 89_999_999)).padStart(8, '0')}`,
    email: `${m.userid}@${EMAIL_DOMAIN}`,
    gender: h % 2 === 0 ? '1' : '2',
    address,
  }
}
