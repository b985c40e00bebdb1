import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'

/** An access token from the sandbox at `sandboxUrl`, as the app gets one (its corp and secret). */
export async function sandboxToken(sandboxUrl: string): Promise<string> {
  const res = (await (await fetch(`${sandboxUrl}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`)).json()) as { access_token: string }
  return res.access_token
}

/**
 * The active members (status 1) of the sandbox's org, by one user/list of the whole org. WeCom
 * refuses an answer that large (45029; the sandbox, past 5,000 members by default): `orgSize` lifts that cap to fit.
 */
export async function activeUserids(sandboxUrl: string, orgSize?: number): Promise<string[]> {
  if (orgSize) await fetch(`${sandboxUrl}/sandbox/admin/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxListResponse: orgSize + 1 }) })
  const token = await sandboxToken(sandboxUrl)
  const { userlist } = (await (await fetch(`${sandboxUrl}/cgi-bin/user/list?access_token=${token}&department_id=1&fetch_child=1`)).json()) as { userlist: { userid: string; status: number }[] }
  return userlist.filter((u) => u.status === 1).map((u) => u.userid)
}
