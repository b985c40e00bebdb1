/** The sandbox's leave (请假) template. */
const LEAVE = 'C4NyD7wR9Lq2sKx5eBm3HvT8jPa6Zf1Gc0UiWoYnEhXb'

/** 李四 asks for leave (an `oa/applyevent` body); `approvers` decide in one node (attr 1 或签, 2 会签). */
export const leave = (approvers: string[], attr: 1 | 2 = 1) => ({
  creator_userid: 'lisi',
  template_id: LEAVE,
  use_template_approver: 0,
  approver: [{ attr, userid: approvers }],
  notify_type: 1,
  apply_data: { contents: [{ control: 'Textarea', id: 'Textarea-1570000000004', value: { text: '家中有事' } }] },
})
