import { Agent, fetch as uFetch } from 'undici'
const base = 'http://127.0.0.1:47123'
const tok = ((await (await fetch(`${base}/cgi-bin/gettoken?corpid=ww5ad0c1b0e2f3a4c6&corpsecret=SbxSecret_Xinghe-Demo-App-Only-0123456789aZ`)).json()) as any).access_token
const { department } = (await (await fetch(`${base}/cgi-bin/department/list?access_token=${tok}`)).json()) as any
const mode = process.argv[2]
const agent = new Agent({ connections: 32, headersTimeout: 10000, bodyTimeout: 10000 })
const f: any = mode === 'global' ? fetch : (u: string, i: any) => uFetch(u, { ...i, dispatcher: agent })
await fetch(`${base}/sandbox/admin/reset`, { method: 'POST' })
const cpu = process.cpuUsage(); const t = performance.now()
let next = 0
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < department.length) {
    const d = department[next++]
    const r = await f(`${base}/cgi-bin/user/list?access_token=${tok}&department_id=${d.id}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30000) })
    JSON.parse(await r.text())
  }
}))
const c = process.cpuUsage(cpu)
console.log(mode, Math.round(performance.now() - t), 'ms wall', Math.round((c.user + c.system) / 1000), 'ms cpu')
