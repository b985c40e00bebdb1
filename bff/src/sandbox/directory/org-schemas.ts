import { z } from 'zod'

/**
 * Bodies of /sandbox/admin/org/*. Zod checks only the JSON types (→ 400, errcode 40058); the
 * rules WeCom enforces (userid format, unknown department, duplicates …) are checked by
 * org-changes*.ts so that they answer with WeCom's own errcodes.
 */

const sensitiveSchema = z.strictObject({ mobile: z.string(), email: z.string(), gender: z.enum(['1', '2']) })

const userFields = {
  name: z.string(),
  department: z.array(z.number().int()),
  /** Defaults to the first department. */
  main_department: z.number().int(),
  /** Parallel to department; default all 0. */
  order: z.array(z.number().int()),
  is_leader_in_dept: z.array(z.union([z.literal(0), z.literal(1)])),
  position: z.string().max(128),
  direct_leader: z.array(z.string()).max(5),
  alias: z.string().max(64),
  telephone: z.string().max(32),
  /** mobile/email/gender as user/get shows them for pre-2022 members; null = post-2022 (hidden). */
  sensitive: sensitiveSchema.nullable(),
}

export const userCreateSchema = z.strictObject({
  userid: z.string(),
  ...userFields,
  main_department: userFields.main_department.optional(),
  order: userFields.order.optional(),
  is_leader_in_dept: userFields.is_leader_in_dept.optional(),
  position: userFields.position.optional(),
  direct_leader: userFields.direct_leader.optional(),
  alias: userFields.alias.optional(),
  telephone: userFields.telephone.optional(),
  sensitive: userFields.sensitive.optional(),
  /** New members start 未激活 (4) in WeCom until they join; 5 (quit) cannot be created. */
  status: z.union([z.literal(1), z.literal(2), z.literal(4)]).optional(),
})

export const userPatchSchema = z.strictObject({
  name: userFields.name.optional(),
  department: userFields.department.optional(),
  main_department: userFields.main_department.optional(),
  order: userFields.order.optional(),
  is_leader_in_dept: userFields.is_leader_in_dept.optional(),
  position: userFields.position.optional(),
  direct_leader: userFields.direct_leader.optional(),
  alias: userFields.alias.optional(),
  telephone: userFields.telephone.optional(),
  sensitive: userFields.sensitive.optional(),
  /** 5 = the member quit: gone from the lists, delete_user is sent; back from 5 = create_user. */
  status: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(5)]).optional(),
  /** Renames the member (WeCom allows one change of a generated userid). */
  new_userid: z.string().optional(),
})

export const departmentCreateSchema = z.strictObject({
  /** Default: the largest id + 1. */
  id: z.number().int().min(2).max(2 ** 32 - 1).optional(),
  name: z.string(),
  name_en: z.string().optional(),
  parentid: z.number().int(),
  /** Larger = earlier among siblings; default 0. */
  order: z.number().int().min(0).max(2 ** 32 - 1).optional(),
})

export const departmentPatchSchema = z.strictObject({
  name: z.string().optional(),
  name_en: z.string().optional(),
  parentid: z.number().int().optional(),
  order: z.number().int().min(0).max(2 ** 32 - 1).optional(),
})

export type OrgUserCreate = z.infer<typeof userCreateSchema>
export type OrgUserPatch = z.infer<typeof userPatchSchema>
export type OrgDepartmentCreate = z.infer<typeof departmentCreateSchema>
export type OrgDepartmentPatch = z.infer<typeof departmentPatchSchema>
