/**
 * Why WeCom would not deliver to a member, as message/send reports it
 * (https://developer.work.weixin.qq.com/document/path/90236). Kept on the member by
 * directory/member-store.ts (setNotifyProblem, clearNotifyProblem), which owns the members table.
 */
export type NotifyProblem = 'invaliduser' | 'unlicenseduser'
