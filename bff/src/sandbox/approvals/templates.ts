import type { ApprovalTemplate } from './types'

/**
 * Three templates an ordinary corp has. The ids look like WeCom's (long base62 strings); the
 * configured flows use the demo people, so use_template_approver = 1 works out of the box.
 */
export const approvalTemplates: readonly ApprovalTemplate[] = [
  {
    template_id: 'C4NyD7wR9Lq2sKx5eBm3HvT8jPa6Zf1Gc0UiWoYnEhXb',
    name: '请假',
    record_type: 1,
    controls: [
      { control: 'Selector', id: 'Selector-1570000000001', title: '请假类型' },
      { control: 'Date', id: 'Date-1570000000002', title: '开始时间' },
      { control: 'Date', id: 'Date-1570000000003', title: '结束时间' },
      { control: 'Textarea', id: 'Textarea-1570000000004', title: '请假事由' },
    ],
    approver: [{ attr: 1, userid: ['zhangsan'] }],
    notifyer: [],
  },
  {
    template_id: 'BsAqZ3k8Vt1Yw6Xc9Nd2Mf5Lg7Jh0Pr4Qe8Ts2Uv6Wy',
    name: '报销',
    record_type: 0,
    controls: [
      { control: 'Money', id: 'Money-1570000000011', title: '报销金额' },
      { control: 'Text', id: 'Text-1570000000012', title: '报销事由' },
      { control: 'File', id: 'File-1570000000013', title: '附件' },
    ],
    approver: [
      { attr: 1, userid: ['zhouba', 'zhangsan'] },
      { attr: 2, userid: ['zhangsan', 'wujiu'] },
    ],
    notifyer: [],
  },
  {
    template_id: '3TkZjxgSmpBWa1Gb2Xh7Lc5Rn9Dq4Fs8Ev0Hu6Jw3Kz',
    name: '出差',
    record_type: 3,
    controls: [
      { control: 'Text', id: 'Text-1570000000021', title: '出差地点' },
      { control: 'DateRange', id: 'DateRange-1570000000022', title: '出差时间' },
      { control: 'Textarea', id: 'Textarea-1570000000023', title: '出差事由' },
    ],
    approver: [{ attr: 2, userid: ['zhangsan', 'zhouba'] }],
    notifyer: ['lisi'],
  },
]

export function findTemplate(templateId: string): ApprovalTemplate | undefined {
  return approvalTemplates.find((t) => t.template_id === templateId)
}
