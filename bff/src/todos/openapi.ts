import { apiErrorSchema, endpoints, hostNotificationInputSchema, hostTodoInputSchema, hostTodoPatchSchema, hostTodoSchema } from '@portal/shared'
import { z } from 'zod/mini'

/**
 * The host API as OpenAPI 3.1. Request and response schemas are generated from the shared zod
 * contract (OpenAPI 3.1 schemas are JSON Schema 2020-12), so the document cannot drift from what
 * the routes accept; only prose and examples are written here.
 */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object, examples?: Record<string, { summary: string; value: unknown }>) => ({ 'application/json': { schema, ...(examples ? { examples } : {}) } })
const errorExample = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra, requestId: '3f9a1c2e-1a' } })

const todoExample = {
  externalId: 'expense-1024',
  assignee: 'lisi',
  title: '审核报销单 #1024 / Review expense claim #1024',
  summary: '差旅报销 ¥1,280（上海—北京）/ Travel, ¥1,280',
  link: 'https://oa.example.com/expenses/1024',
  dueAt: '2025-07-01T18:00:00+08:00',
  requester: 'zhangsan',
}
const hostTodoExample = {
  id: 'k3j9x2m4q8w1',
  ...todoExample,
  status: 'pending',
  dueAt: '2025-07-01T10:00:00.000Z',
  createdAt: '2025-06-28T02:15:00.000Z',
  updatedAt: '2025-06-28T02:15:00.000Z',
}

/** Every write waits for the database: when it cannot be reached, the answer says so (and may be retried). */
const unavailable = {
  description: '数据库暂不可用，可稍后重试 / The database is not answering; the request may be retried',
  content: json(ref('Error'), { down: { summary: '数据库不可用 / Database unavailable', value: errorExample('unavailable', 'The database is not answering; try again shortly.') } }),
}
const unauthorized = {
  description: '缺少或无效的密钥 / Missing or invalid key. Carries `WWW-Authenticate: Bearer`.',
  headers: { 'WWW-Authenticate': { schema: { type: 'string' }, example: 'Bearer realm="portal-host-api", error="invalid_token"' } },
  content: json(ref('Error'), { invalid: { summary: '无效密钥 / Invalid key', value: errorExample('unauthenticated', 'The host API key is not valid.') } }),
}
const tooLarge = {
  description: '请求体超过 256 KiB；响应带 `Connection: close`，请用新连接重试 / The body is over 256 KiB; the answer carries `Connection: close`, so retry on a new connection.',
  content: json(ref('Error'), { tooLarge: { summary: '过大 / Too large', value: errorExample('payload_too_large', 'The body is too large (256 KiB at most).', { fields: { body: 'too large' } }) } }),
}
const badRequest = (examples: Record<string, { summary: string; value: unknown }>) => ({
  description: '请求无效；`fields` 指明每个出错的字段 / Invalid request; `fields` names each bad field (path → message).',
  content: json(ref('Error'), examples),
})

export function hostOpenApi(publicUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: '员工门户 · 宿主应用接口 / Employee portal host API',
      version: '1',
      description: [
        '宿主应用（现有自建应用）通过此接口把待办推送给员工，并可发送企业微信消息。新待办会以文本卡片通知处理人，点击后经企业微信网页授权静默登录并打开该待办。',
        '',
        'The host (the existing self-built app) pushes its tasks to employees as todos and can send WeCom notifications. A new todo notifies its assignee with a textcard that signs them in silently and opens the todo.',
        '',
        '每个错误都是同一结构 / Every error has one shape: `{ "error": { "code", "message", "hint?", "fields?", "requestId?" } }`.',
      ].join('\n'),
    },
    servers: [{ url: publicUrl }],
    security: [{ hostKey: [] }],
    paths: {
      [endpoints.hostUpsertTodo.path]: {
        post: {
          operationId: 'upsertTodo',
          summary: '创建或更新待办 / Create or update a todo',
          description:
            '按 (宿主, externalId) 幂等：同一请求体发送两次只产生一条待办、一条通知。请求体是待办的完整状态，省略的可选字段取默认值（status 默认 pending）。处理人须是通讯录中在职的成员；requester 须存在于通讯录。\n\n' +
            'Idempotent by (host, externalId): the same body twice is one todo and one notification. The body is the whole todo; omitted optional fields take their defaults (status: pending). The assignee must be an active member of the synced directory; the requester, when given, must exist in it. A new pending todo notifies the assignee unless `notify` is false; a change of assignee notifies the new one.',
          requestBody: { required: true, content: json(ref('HostTodoInput'), { new: { summary: '新待办 / New todo', value: todoExample } }) },
          responses: {
            '201': { description: '已创建 / Created', content: json(ref('HostTodo'), { created: { summary: '已创建 / Created', value: hostTodoExample } }) },
            '200': { description: '已更新或无变化 / Updated, or unchanged', content: json(ref('HostTodo')) },
            '400': badRequest({
              fields: { summary: '字段无效 / Invalid fields', value: errorExample('bad_request', 'Invalid title, link.', { fields: { title: 'must not be empty', link: 'expected an http(s) URL' } }) },
              assignee: { summary: '处理人不在通讯录 / Unknown assignee', value: errorExample('bad_request', 'Unknown assignee in the synced directory.', { fields: { assignee: 'not an active member' } }) },
            }),
            '401': unauthorized,
            '503': unavailable,
            '413': tooLarge,
          },
        },
      },
      [endpoints.hostPatchTodo.path.replace(':externalId', '{externalId}')]: {
        patch: {
          operationId: 'patchTodo',
          summary: '修改、完成或取消待办 / Update, complete or cancel a todo',
          description:
            '只修改给出的字段。取消：`{"status":"cancelled"}`；完成：`{"status":"done"}`。其他宿主的待办视为不存在。\n\n' +
            'Changes only the given fields. Cancel with `{"status":"cancelled"}`, complete with `{"status":"done"}`. Another host\'s todo, or an approval\'s, does not exist for you (404), whatever your host is called. Reassigning notifies the new assignee.',
          parameters: [{ name: 'externalId', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 }, example: 'expense-1024' }],
          requestBody: {
            required: true,
            content: json(ref('HostTodoPatch'), {
              cancel: { summary: '取消 / Cancel', value: { status: 'cancelled' } },
              reassign: { summary: '转交 / Reassign', value: { assignee: 'wujiu', title: '审核报销单 #1024（已转交）/ Review expense claim #1024' } },
            }),
          },
          responses: {
            '200': { description: '待办的当前状态 / The todo as it now is', content: json(ref('HostTodo'), { cancelled: { summary: '已取消 / Cancelled', value: { ...hostTodoExample, status: 'cancelled' } } }) },
            '400': badRequest({ status: { summary: '状态无效 / Invalid status', value: errorExample('bad_request', 'Invalid status.', { fields: { status: 'expected one of: pending, done, cancelled' } }) } }),
            '401': unauthorized,
            '503': unavailable,
            '413': tooLarge,
            '404': { description: '此宿主没有该待办 / This host has no such todo', content: json(ref('Error'), { missing: { summary: '不存在 / Not found', value: errorExample('not_found', 'No todo with externalId "expense-9999" from this host.') } }) },
          },
        },
      },
      [endpoints.hostNotify.path]: {
        post: {
          operationId: 'notify',
          summary: '给成员发送通知 / Notify members',
          description:
            '为每位成员排队一条企业微信消息：有 url 时为文本卡片，否则为文本。url 是本应用的页面时经企业微信网页授权打开，否则原样打开。url 中的空格、中文及 `"<>{}|^` 等字符在收到时即被百分号编码（企业微信拒绝未编码的此类字符）；含控制字符的 url 被拒绝。带相同 Idempotency-Key 的重试不会重复发送。\n\n' +
            'Queues one WeCom message per member: a textcard when `url` is given, text otherwise. A `url` that is a page of this app opens through WeCom OAuth (silent sign-in); any other opens as is. Spaces, non-ASCII and characters such as `"<>{}|^` in `url` are percent-encoded on arrival (WeCom refuses them unencoded); one with control characters is refused. Retrying with the same `Idempotency-Key` sends nothing twice. Every userid must be an active member.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: '重试时保持不变；在消息记录保留期内有效（RETENTION_DAYS，默认 90 天） / Keep it the same when retrying (1–128 visible ASCII characters); honoured while the messages are kept (RETENTION_DAYS, default 90 days).',
              schema: { type: 'string', minLength: 1, maxLength: 128 },
              example: 'notice-2025-06-28-001',
            },
          ],
          requestBody: {
            required: true,
            content: json(ref('HostNotificationInput'), {
              card: { summary: '卡片 / Card', value: { userids: ['lisi', 'wujiu'], title: '系统维护通知 / Maintenance', description: '今晚 22:00–23:00 OA 暂停服务 / OA is down 22:00–23:00 tonight', url: 'https://oa.example.com/notices/88' } },
              text: { summary: '文本 / Text', value: { userids: ['lisi'], title: '你的报销已打款 / Your expense claim was paid' } },
            }),
          },
          responses: {
            '202': { description: '已排队 / Queued', content: json(ref('NotificationQueued'), { queued: { summary: '已排队 / Queued', value: { queued: 2 } } }) },
            '400': badRequest({ userids: { summary: '未知成员 / Unknown members', value: errorExample('bad_request', 'Not active members of the directory: nobody.', { fields: { userids: 'not active members: nobody' } }) } }),
            '401': unauthorized,
            '503': unavailable,
            '413': tooLarge,
          },
        },
      },
      [endpoints.hostOpenApi.path]: {
        get: {
          operationId: 'openapi',
          summary: '本文档 / This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        hostKey: {
          type: 'http',
          scheme: 'bearer',
          description: '`Authorization: Bearer <key>`，密钥来自服务端的 HOST_API_KEYS（name:key）；name 即宿主名，标记其待办；成员看到的是宿主的显示名（HOST_DISPLAY_NAMES 或管理后台的业务系统名称） / A key from the server\'s HOST_API_KEYS (name:key); the name marks the host\'s todos, which members see under the host\'s display name (HOST_DISPLAY_NAMES or the console).',
        },
      },
      schemas: {
        HostTodoInput: jsonSchema(hostTodoInputSchema, 'input'),
        HostTodoPatch: jsonSchema(hostTodoPatchSchema, 'input'),
        HostNotificationInput: jsonSchema(hostNotificationInputSchema, 'input'),
        HostTodo: jsonSchema(hostTodoSchema, 'output'),
        NotificationQueued: { type: 'object', properties: { queued: { type: 'integer', minimum: 0, description: '收到通知的成员数 / Members the notification is queued for' } }, required: ['queued'] },
        Error: jsonSchema(apiErrorSchema, 'output'),
      },
    },
  }
}
