import pg from 'pg'
const url = 'postgres://postgres@127.0.0.1:5432/syncscratch'
const c = new pg.Client(url); await c.connect()
const N = 1000, B = 60
const rows = (b: number) => Array.from({ length: N }, (_, i) => ({ userid: `u${b}_${i}`, name: '张三丰' + i, alias: null, position: '工程师', avatar: 'https://wework.qpic.cn/abc/' + i + '/0', department_ids: [b + 1, 7], main_department: b + 1, status: 1, gender: 1, mobile: '1380000' + i, telephone: null, email: `u${i}@corp.com`, biz_mail: null, direct_leaders: ['lead1'], name_pinyin: 'zhangsanfeng', name_initials: 'zsf', sync_hash: 'abcdefghijabcdefghijabcdefg', department_orders: [100, 200], department_leads: [false, true] }))
const COLS = 'userid, name, alias, position, avatar, department_ids, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, name_pinyin, name_initials, sync_hash'
const typed = 'userid text, name text, alias text, position text, avatar text, department_ids int[], main_department int, status smallint, gender smallint, mobile text, telephone text, email text, biz_mail text, direct_leaders text[], name_pinyin text, name_initials text, sync_hash text'
await c.query('truncate directory_staging')
async function time(label: string, fn: (b: number) => Promise<unknown>) {
  await c.query('truncate directory_staging')
  const t = performance.now(); const cpu = process.cpuUsage()
  for (let b = 0; b < B; b++) await fn(b)
  const u = process.cpuUsage(cpu)
  console.log(label, ((performance.now() - t) / B).toFixed(1), 'ms/batch; client cpu', ((u.user + u.system) / 1000 / B).toFixed(1))
}
for (let rep = 0; rep < 2; rep++) {
await time('json_to_recordset', (b) => c.query(`insert into directory_staging (run_id, ${COLS}, department_orders, department_leads) select $1, ${COLS}, department_orders, department_leads from json_to_recordset($2::json) as x(${typed}, department_orders bigint[], department_leads boolean[])`, [1, JSON.stringify(rows(b))]))
await time('unnest', (b) => {
  const r = rows(b)
  const col = (k: string) => r.map((x: any) => x[k])
  const arr = (k: string) => r.map((x: any) => '{' + x[k].join(',') + '}')
  return c.query(`insert into directory_staging (run_id, ${COLS}, department_orders, department_leads) select $1, userid, name, alias, position, avatar, department_ids::int[], main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders::text[], name_pinyin, name_initials, sync_hash, department_orders::bigint[], department_leads::boolean[]
  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::smallint[], $10::smallint[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[])
  as x(userid, name, alias, position, avatar, department_ids, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, name_pinyin, name_initials, sync_hash, department_orders, department_leads)`,
  [1, col('userid'), col('name'), col('alias'), col('position'), col('avatar'), arr('department_ids'), col('main_department'), col('status'), col('gender'), col('mobile'), col('telephone'), col('email'), col('biz_mail'), arr('direct_leaders'), col('name_pinyin'), col('name_initials'), col('sync_hash'), arr('department_orders'), arr('department_leads')])
})
await c.query('create temp table if not exists blobs (run_id int, batch text)')
await time('one text row', (b) => c.query('insert into blobs (run_id, batch) values ($1, $2)', [1, JSON.stringify(rows(b))]))
await c.query('truncate blobs')
await time('one text row (unlogged, storage external)', async (b) => { if (b === 0) { await c.query('drop table if exists blobs2'); await c.query('create unlogged table blobs2 (run_id int, batch text)'); await c.query('alter table blobs2 alter column batch set storage external') } return c.query('insert into blobs2 (run_id, batch) values ($1, $2)', [1, JSON.stringify(rows(b))]) })
let t = performance.now()
await c.query(`insert into directory_staging (run_id, ${COLS}, department_orders, department_leads) select 1, ${COLS}, department_orders, department_leads from blobs2, json_to_recordset(batch::json) as x(${typed}, department_orders bigint[], department_leads boolean[])`)
console.log('expand blobs2 -> staging all', (performance.now() - t).toFixed(0))
}
await c.query('drop table if exists blobs2'); await c.query('truncate directory_staging')
await c.end()
