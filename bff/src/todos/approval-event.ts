/** The approval number of a sys_approval_change event: SpNoStr (2025+), else the numeric SpNo. */
export function approvalNumber(fields: Record<string, unknown>): string {
  const info = (fields.ApprovalInfo ?? {}) as Record<string, unknown>
  const n = info.SpNoStr ?? info.SpNo
  if (typeof n !== 'string' && typeof n !== 'number') throw new Error('sys_approval_change without SpNo')
  return String(n).trim()
}
