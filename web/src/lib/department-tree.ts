import type { DepartmentNode } from '@portal/shared'

export interface DepartmentEntry {
  node: DepartmentNode
  /** From the visible root down to the parent (empty for a root). */
  ancestors: DepartmentNode[]
}

/** id → node and its ancestors, for breadcrumbs and deep links; one pass, no recursion. */
export function indexDepartments(roots: readonly DepartmentNode[]): Map<number, DepartmentEntry> {
  const index = new Map<number, DepartmentEntry>()
  const stack: DepartmentEntry[] = roots.map((node) => ({ node, ancestors: [] }))
  while (stack.length) {
    const entry = stack.pop()!
    if (index.has(entry.node.id)) continue // a malformed tree with a cycle must not hang the page
    index.set(entry.node.id, entry)
    const ancestors = [...entry.ancestors, entry.node]
    for (const child of entry.node.children) stack.push({ node: child, ancestors })
  }
  return index
}
