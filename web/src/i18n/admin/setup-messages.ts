/** Admin console text (setup pages). zh-CN is the source; en must carry every key. */
export const setupZh = {
  'admin.setup.placeholder': '…',
}
export const setupEn: Record<keyof typeof setupZh, string> = {
  'admin.setup.placeholder': '…',
}
