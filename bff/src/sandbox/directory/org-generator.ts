import { COMPANY_NAME, namedDepartments, positionsByKind, subDepartmentNames } from './org-departments'
import { femaleSyllables, maleSyllables, surnames, type Syllable } from './org-names'
import type { Department, Member, MemberStatus, Org } from './org-types'
import { createRng, pick, type Rng } from '../prng'

/** A hand-written member placed before the generated ones (张三, 李四 ...). */
export interface FixedMember {
  userid: string
  name: string
  position: string
  /** The first is the main department. */
  departments: number[]
  /** Departments this person heads (must be among `departments`). */
  leaderOf?: number[]
  status: MemberStatus
  /** Created "before 2022": user/get still shows mobile, email, gender, avatar. */
  legacy: boolean
  gender?: '1' | '2'
  alias?: string
  telephone?: string
}

export interface GenerateOrgInput {
  /** Total departments, root included; the named ones come first. */
  departments: number
  /** Total members, fixed ones included. */
  members: number
  seed: number
  fixed?: readonly FixedMember[]
}

const MAX_DEPTH = 4
const EMAIL_DOMAIN = 'xinghe-tech.com'

/**
 * Builds a deterministic org: the same input always yields the same departments and members.
 * Every step is O(1) per department or member (plus the tree depth for direct leaders), so it
 * scales to 100k members / 5k departments.
 */
export function generateOrg(input: GenerateOrgInput): Org {
  const fixed = input.fixed ?? []
  if (input.departments < 1) throw new Error('generateOrg: at least the root department is needed')
  if (input.members < fixed.length) throw new Error('generateOrg: members must be >= the fixed members')
  const rng = createRng(input.seed)
  const departments = buildDepartments(input.departments, rng)
  const byId = new Map(departments.map((d) => [d.id, d]))
  const members: Member[] = fixed.map((f) => fixedToMember(f, byId))
  const taken = new Set(members.map((m) => m.userid))
  if (taken.size !== members.length) throw new Error('generateOrg: duplicate fixed userid')
  const nonRoot = departments.filter((d) => d.parentid !== 0)
  const pool = nonRoot.length > 0 ? nonRoot : departments
  const leaderSet = new Set(departments.filter((d) => d.department_leader.length > 0).map((d) => d.id))
  const suffix = new Map<string, number>()
  const generated = input.members - fixed.length
  for (let i = 0; i < generated; i++) {
    // The first pass gives every department (root first) one active member, who heads it.
    const main = i < departments.length ? departments[i]! : pick(rng, pool)
    const heads = !leaderSet.has(main.id)
    if (heads) leaderSet.add(main.id)
    const member = generateMember(rng, i, main, heads, pool, taken, suffix)
    if (heads) main.department_leader.push(member.userid)
    members.push(member)
  }
  assignDirectLeaders(members, byId)
  return { name: COMPANY_NAME, departments, members }
}

function buildDepartments(count: number, rng: Rng): Department[] {
  const out: Department[] = []
  const byId = new Map<number, Department>()
  const children = new Map<number, number>()
  const siblingNames = new Map<number, Set<string>>()
  const add = (id: number, name: string, nameEn: string, parent: Department | undefined, kind: Department['kind']) => {
    const childIndex = children.get(parent?.id ?? 0) ?? 0
    children.set(parent?.id ?? 0, childIndex + 1)
    const names = siblingNames.get(parent?.id ?? 0) ?? new Set<string>()
    siblingNames.set(parent?.id ?? 0, names)
    names.add(name)
    const d: Department = {
      id,
      name,
      name_en: nameEn,
      parentid: parent?.id ?? 0,
      order: 100_000_000 - childIndex * 1000,
      department_leader: [],
      kind,
      depth: (parent?.depth ?? 0) + 1,
    }
    out.push(d)
    byId.set(id, d)
    return d
  }
  for (const n of namedDepartments.slice(0, count)) add(n.id, n.name, n.name_en, byId.get(n.parentid), n.kind)
  const parents = out.filter((d) => d.depth < MAX_DEPTH)
  for (let id = out.length + 1; out.length < count; id++) {
    // Skip the root most of the time: real companies grow inside their divisions.
    let parent = pick(rng, parents)
    if (parent.parentid === 0 && parents.length > 1 && rng() < 0.8) parent = pick(rng, parents)
    const name = freshName(rng, subDepartmentNames[parent.kind], siblingNames.get(parent.id))
    const d = add(id, name, `Dept ${id}`, parent, parent.kind)
    if (d.depth < MAX_DEPTH) parents.push(d)
  }
  return out
}

/** WeCom rejects duplicate names under one parent (60008): try other names, then number them. */
function freshName(rng: Rng, bases: readonly string[], taken: Set<string> | undefined): string {
  for (let tries = 0; tries < 4; tries++) {
    const name = pick(rng, bases)
    if (!taken?.has(name)) return name
  }
  const base = pick(rng, bases)
  // 平台组 → 平台2组, as companies number their teams.
  const numbered = (n: number) => (base.endsWith('组') ? `${base.slice(0, -1)}${n}组` : `${base}${n}`)
  let n = 2
  while (taken?.has(numbered(n))) n++
  return numbered(n)
}

function fixedToMember(f: FixedMember, byId: Map<number, Department>): Member {
  const userid = f.userid.toLowerCase()
  const main = f.departments[0]
  if (main === undefined) throw new Error(`generateOrg: ${userid} has no department`)
  for (const id of f.departments) if (!byId.has(id)) throw new Error(`generateOrg: ${userid} is in unknown department ${id}`)
  const leads = new Set(f.leaderOf ?? [])
  for (const id of leads) byId.get(id)?.department_leader.push(userid)
  return {
    userid,
    name: f.name,
    department: [...f.departments],
    order: f.departments.map((id) => (leads.has(id) ? 100 : 0)),
    is_leader_in_dept: f.departments.map((id) => (leads.has(id) ? 1 : 0)),
    main_department: main,
    position: f.position,
    direct_leader: [],
    status: f.status,
    alias: f.alias ?? '',
    telephone: f.telephone ?? '',
    sensitive: f.legacy ? sensitiveFor(userid, hashIndex(userid), f.gender ?? '1') : undefined,
  }
}

function generateMember(
  rng: Rng,
  i: number,
  main: Department,
  heads: boolean,
  pool: readonly Department[],
  taken: Set<string>,
  suffix: Map<string, number>,
): Member {
  // Squaring skews towards the front of the list, where the common surnames are.
  const surname = surnames[Math.floor(rng() * rng() * surnames.length)]!
  const male = rng() < 0.5
  const syllables = male ? maleSyllables : femaleSyllables
  const given: Syllable[] = [pick(rng, syllables)]
  if (rng() < 0.6) given.push(pick(rng, syllables))
  const userid = uniqueUserid(surname[1] + given.map((g) => g[1]).join(''), taken, suffix)
  const departments = [main.id]
  if (!heads && pool.length > 1 && rng() < 0.08) {
    const second = pick(rng, pool)
    if (second.id !== main.id) departments.push(second.id)
  }
  const titles = positionsByKind[main.kind]
  const position = !heads ? pick(rng, titles.staff) : main.depth <= 2 ? titles.head : titles.teamHead
  return {
    userid,
    name: surname[0] + given.map((g) => g[0]).join(''),
    department: departments,
    order: departments.map((_, k) => (heads && k === 0 ? 100 : 0)),
    is_leader_in_dept: departments.map((_, k) => (heads && k === 0 ? 1 : 0)),
    main_department: main.id,
    position,
    direct_leader: [],
    status: heads ? 1 : randomStatus(rng),
    alias: rng() < 0.15 ? `${given[0]![1]}.${surname[1]}` : '',
    telephone: rng() < 0.2 ? `021-${String(60000000 + i).slice(-8)}` : '',
    sensitive: rng() < 0.66 ? sensitiveFor(userid, i + 1000, male ? '1' : '2') : undefined,
  }
}

function uniqueUserid(base: string, taken: Set<string>, suffix: Map<string, number>): string {
  let candidate = base
  // Pinyin bases have no digits, so `liuyang2` can only clash with another suffixed name.
  for (let n = suffix.get(base) ?? 2; taken.has(candidate); n++) {
    candidate = `${base}${n}`
    suffix.set(base, n + 1)
  }
  taken.add(candidate)
  return candidate
}

function randomStatus(rng: Rng): MemberStatus {
  const r = rng()
  if (r < 0.03) return 5
  if (r < 0.05) return 2
  if (r < 0.07) return 4
  return 1
}

function sensitiveFor(userid: string, n: number, gender: '1' | '2'): Member['sensitive'] {
  return { mobile: `13${String(800_000_000 + n).slice(-9)}`, email: `${userid}@${EMAIL_DOMAIN}`, gender }
}

/** A stable small number for fixed members' phone numbers (kept below the generated range). */
function hashIndex(s: string): number {
  let h = 0
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) % 997
  return h
}

/** Direct leader = the nearest department head above the member who is not the member. */
function assignDirectLeaders(members: Member[], byId: Map<number, Department>): void {
  for (const m of members) {
    let dept = byId.get(m.main_department)
    while (dept) {
      const leader = dept.department_leader.find((u) => u !== m.userid)
      if (leader) {
        m.direct_leader = [leader]
        break
      }
      dept = byId.get(dept.parentid)
    }
  }
}
