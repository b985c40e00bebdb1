import { createServer, type Server } from 'node:http'
import { sandboxToken } from './sandbox-org'

/** A request exactly as the sandbox (playing WeCom) sent it: path with msg_signature/timestamp/nonce, the encrypted envelope. */
export interface SignedCallback {
  path: string
  body: string
}

/**
 * Stands where the app's callback URL would be and keeps every request the sandbox delivers,
 * answering 200 at once, so a burst can be replayed at the app later at full speed.
 */
export async function startCollector(): Promise<{ url: string; requests: SignedCallback[]; close(): Promise<void> }> {
  const requests: SignedCallback[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => (body += d))
    req.on('end', () => {
      requests.push({ path: req.url!, body })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/wecom/callback`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

const NAMES = ['王芳', '李伟', '张敏', '刘洋', '陈静', '杨磊', '赵丽', '黄强', '周婷', '吴军', '徐娜', '孙涛', '马超', '朱琳', '胡斌', '郭颖']
const POSITIONS = ['工程师', '高级工程师', '产品经理', '设计师', '销售经理', '运营专员', '财务', '人事专员', '测试工程师', '架构师']
// The demo's named people keep their roles (admin, the quit/disabled examples).
const KEEP = new Set(['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba'])

/**
 * Changes the sandbox org the way a busy HR system syncing into WeCom would — new hires, edits
 * (several to one person in a row), moves, leavers, department changes — until `count`
 * change_contact callbacks were delivered to the collector. Returns the mix that was sent.
 * `tag` keeps the new userids and department names of one call apart from another's; `seed`
 * picks the sequence (the same seed, the same changes).
 */
export async function makeOrgChanges(
  sandboxUrl: string,
  requests: SignedCallback[],
  count: number,
  { concurrency = 16, seed: firstSeed = 7, tag = '' }: { concurrency?: number; seed?: number; tag?: string } = {},
): Promise<Record<string, number>> {
  const access_token = await sandboxToken(sandboxUrl)
  const { department } = (await (await fetch(`${sandboxUrl}/cgi-bin/department/list?access_token=${access_token}`)).json()) as { department: { id: number }[] }
  // simplelist: only userids are needed, and user/list refuses an org past 5,000 (45029).
  const listed = (await (await fetch(`${sandboxUrl}/cgi-bin/user/simplelist?access_token=${access_token}&department_id=1&fetch_child=1`)).json()) as { userlist?: { userid: string }[]; errcode: number; errmsg: string }
  if (!listed.userlist) throw new Error(`user/simplelist: ${listed.errcode} ${listed.errmsg}`)
  const { userlist } = listed
  const depts = department.map((d) => d.id)
  const members = userlist.map((u) => u.userid).filter((u) => !KEEP.has(u))
  const recent: string[] = []
  const ourDepts: number[] = []
  const mix: Record<string, number> = {}
  let seed = firstSeed
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  let created = 0

  async function admin(method: string, path: string, body?: unknown): Promise<{ errcode: number; callback?: unknown; department?: { id: number } }> {
    const res = await fetch(`${sandboxUrl}/sandbox/admin/org/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return (await res.json()) as { errcode: number; callback?: unknown; department?: { id: number } }
  }

  async function one(): Promise<void> {
    const r = rnd()
    let kind: string
    let out
    if (r < 0.3) {
      kind = 'create_user'
      const userid = `cb${tag}${++created}`
      out = await admin('POST', 'users', { userid, name: pick(NAMES), department: [pick(depts)], position: pick(POSITIONS), status: 1 })
      if (out.errcode === 0) {
        members.push(userid)
        recent.push(userid)
      }
    } else if (r < 0.72) {
      kind = 'update_user'
      // Half of the edits go to someone edited or hired moments ago (an HR import touching a
      // person several times), so a batch holds several events for one member.
      const userid = rnd() < 0.5 && recent.length ? pick(recent.slice(-50)) : pick(members)
      const patch = rnd() < 0.6 ? { position: pick(POSITIONS) } : rnd() < 0.5 ? { name: pick(NAMES) } : { department: [pick(depts)] }
      out = await admin('PATCH', `users/${userid}`, patch)
      recent.push(userid)
    } else if (r < 0.88) {
      kind = 'delete_user'
      const i = Math.floor(rnd() * members.length)
      const userid = members[i]!
      members.splice(i, 1)
      out = await admin('DELETE', `users/${userid}`)
    } else if (r < 0.94 || ourDepts.length < 3) {
      kind = 'create_party'
      out = await admin('POST', 'departments', { name: `新部门${tag}${ourDepts.length + 1}`, parentid: pick(depts.slice(0, 20)) })
      if (out.department) ourDepts.push(out.department.id)
    } else if (r < 0.98) {
      kind = 'update_party'
      out = await admin('PATCH', `departments/${pick(ourDepts)}`, { name: `改名部门${Math.floor(rnd() * 1e6)}` })
    } else {
      kind = 'delete_party'
      const i = Math.floor(rnd() * ourDepts.length)
      const id = ourDepts[i]!
      ourDepts.splice(i, 1)
      out = await admin('DELETE', `departments/${id}`)
    }
    if (out.errcode === 0 && out.callback) mix[kind] = (mix[kind] ?? 0) + 1
  }

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (requests.length < count) await one()
    }),
  )
  requests.length = Math.min(requests.length, count)
  return mix
}
