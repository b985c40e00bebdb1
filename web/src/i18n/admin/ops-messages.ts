/** Admin console text (ops pages). zh-CN is the source; en must carry every key. */
export const opsZh = {
  'admin.ops.placeholder': '…',
}
export const opsEn: Record<keyof typeof opsZh, string> = {
  'admin.ops.placeholder': '…',
}
