import { z } from 'zod/mini'

/** One node of GET /api/directory/departments (the tree within the app's visible range). */
export interface DepartmentNode {
  id: number
  name: string
  nameEn?: string
  parentId: number | null
  order: number
  leaders: string[]
  /** Active members directly in this department. */
  memberCount: number
  /** Active members in this department and below (each person once). */
  totalCount: number
  children: DepartmentNode[]
}
export const departmentNodeSchema: z.ZodMiniType<DepartmentNode> = z.lazy(() =>
  z.object({
    id: z.int(),
    name: z.string(),
    nameEn: z.optional(z.string()),
    parentId: z.nullable(z.int()),
    order: z.number(),
    leaders: z.array(z.string()),
    memberCount: z.int(),
    totalCount: z.int(),
    children: z.array(departmentNodeSchema),
  }),
)

export const departmentTreeSchema = z.object({
  /** Departments whose parent is not visible to the app. */
  roots: z.array(departmentNodeSchema),
  /**
   * Members visible to the app on their own or through a tag, in no visible department (其他可见成员):
   * how many; listed by GET /api/directory/other-members. Absent when there are none.
   */
  otherMembers: z.optional(z.int()),
  /** When the last successful sync finished; null before the first. */
  syncedAt: z.nullable(z.string()),
})
export type DepartmentTree = z.infer<typeof departmentTreeSchema>

export const memberSummarySchema = z.object({
  userid: z.string(),
  name: z.string(),
  alias: z.optional(z.string()),
  position: z.string(),
  avatar: z.optional(z.string()),
  mainDepartment: z.nullable(z.object({ id: z.int(), name: z.string() })),
  /** Leader of the department being listed (department member lists only). */
  isLeader: z.optional(z.boolean()),
})
export type MemberSummary = z.infer<typeof memberSummarySchema>

/**
 * GET /api/directory/departments/:id/members?cursor=&limit= (direct members, active and not yet
 * activated) and GET /api/directory/other-members. `nextCursor` is a keyset cursor (the last
 * member's place in the order), so a sync between two pages neither skips nor repeats anyone.
 */
export const memberPageSchema = z.object({
  items: z.array(memberSummarySchema),
  nextCursor: z.nullable(z.string()),
  total: z.int(),
})
export type MemberPage = z.infer<typeof memberPageSchema>

/** GET /api/directory/search?q=&limit= — name, full pinyin, initials, alias, userid, position. */
export const searchResultSchema = z.object({
  items: z.array(memberSummarySchema),
  total: z.int(),
})
export type SearchResult = z.infer<typeof searchResultSchema>

/** GET /api/directory/members/:userid */
export const memberDetailSchema = z.object({
  ...memberSummarySchema.shape,
  departments: z.array(
    z.object({
      id: z.int(),
      name: z.string(),
      /** Names from the root down to this department. */
      path: z.array(z.string()),
      isLeader: z.boolean(),
    }),
  ),
  directLeaders: z.array(z.object({ userid: z.string(), name: z.string() })),
  // Present only when WeCom returns them (apps created after 2022-06-20 mostly get none).
  gender: z.optional(z.enum(['male', 'female'])),
  mobile: z.optional(z.string()),
  telephone: z.optional(z.string()),
  email: z.optional(z.string()),
  bizMail: z.optional(z.string()),
  /** Only from the member's own consent (auth/getuserdetail): WeCom's directory never sends it to apps. */
  address: z.optional(z.string()),
  /** Which of the fields above the member shared themselves (filled where the directory had none). */
  consented: z.optional(z.array(z.enum(['avatar', 'gender', 'mobile', 'email', 'bizMail', 'address']))),
})
export type MemberDetail = z.infer<typeof memberDetailSchema>

export const syncRunSchema = z.object({
  id: z.int(),
  /** `full`: writes what changed. `force`: the same reads, then rewrites every department and member. */
  kind: z.enum(['full', 'force']),
  trigger: z.enum(['schedule', 'startup', 'manual', 'cli']),
  /** `confirmed`: a held run an admin confirmed; `hold.confirmedBy` is the run that carried it out. */
  status: z.enum(['running', 'succeeded', 'failed', 'held', 'cancelled', 'confirmed']),
  startedAt: z.string(),
  finishedAt: z.nullable(z.string()),
  /**
   * `done`/`total`: departments read (reading) or steps; `members`: distinct members read so far,
   * while reading (the counts are filled in after the read).
   */
  progress: z.object({ phase: z.string(), done: z.int(), total: z.int(), members: z.optional(z.int()) }),
  counts: z.object({
    departmentsSeen: z.int(),
    membersSeen: z.int(),
    departmentsCreated: z.int(),
    departmentsUpdated: z.int(),
    departmentsRemoved: z.int(),
    membersCreated: z.int(),
    membersUpdated: z.int(),
    membersDisabled: z.int(),
    rowsWritten: z.int(),
  }),
  errors: z.array(z.object({ errcode: z.optional(z.int()), message: z.string(), hint: z.optional(z.string()) })),
  /**
   * Held (and confirmed) runs: how many people the run would disable — everyone in the directory
   * it did not see, whatever their WeCom status, exactly the people a confirmed run disables — out
   * of how many the directory holds (not disabled), and the share it was allowed.
   */
  hold: z.optional(z.object({ wouldDisable: z.int(), members: z.int(), maxShare: z.number(), confirmedBy: z.optional(z.int()) })),
})
export type SyncRun = z.infer<typeof syncRunSchema>
