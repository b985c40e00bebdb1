import type { DepartmentNode } from '@portal/shared'

export interface DepartmentOption {
  id: number
  name: string
  /** 0 for a visible root. */
  depth: number
  /** Names from the root down to the parent, for telling same-named departments apart. */
  parents: string[]
}

/** The tree as a list in display order (parents before children), for a picker. */
export function departmentOptions(roots: readonly DepartmentNode[]): DepartmentOption[] {
  const out: DepartmentOption[] = []
  const seen = new Set<number>()
  const stack: { node: DepartmentNode; parents: string[] }[] = [...roots].reverse().map((node) => ({ node, parents: [] }))
  while (stack.length) {
    const { node, parents } = stack.pop()!
    if (seen.has(node.id)) continue // a malformed tree with a cycle must not hang the picker
    seen.add(node.id)
    out.push({ id: node.id, name: node.name, depth: parents.length, parents })
    const next = [...parents, node.name]
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parents: next })
  }
  return out
}

/** Departments whose name (or a parent's) contains the text; all of them for empty text. */
export function filterDepartments(options: readonly DepartmentOption[], text: string, limit = 200): DepartmentOption[] {
  const q = text.trim().toLowerCase()
  const hits = q ? options.filter((o) => o.name.toLowerCase().includes(q) || o.parents.some((p) => p.toLowerCase().includes(q))) : options
  return hits.slice(0, limit)
}
