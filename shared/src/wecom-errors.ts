/**
 * What each WeCom errcode we can meet means, and what a person can do about it
 * (global error codes: https://developer.work.weixin.qq.com/document/path/90313). Shared so the BFF's error responses and logs and the H5's problem pages
 * say the same thing. `{ip}` and `{domain}` are filled from the failing call.
 */
export interface WeComErrorInfo {
  /** Short meaning, as WeCom's own list puts it. */
  zh: string
  en: string
  /** What to do, for an admin. */
  hintZh: string
  hintEn: string
  /** Token problems are retried once by the client; transient ones are retried with backoff. */
  kind: 'config' | 'token' | 'transient' | 'auth' | 'permission' | 'input' | 'limit'
}

const info = (
  kind: WeComErrorInfo['kind'],
  zh: string,
  en: string,
  hintZh: string,
  hintEn: string,
): WeComErrorInfo => ({ kind, zh, en, hintZh, hintEn })

export const wecomErrors: Record<number, WeComErrorInfo> = {
  [-1]: info('transient', '系统繁忙', 'WeCom is busy', '稍后自动重试；持续出现请查看企业微信服务状态。', 'Retried automatically; if it persists, check WeCom service status.'),
  6000: info('transient', '数据版本冲突', 'Data version conflict', '稍后重试。', 'Retry later.'),
  40001: info('config', '不合法的 secret 参数', 'Invalid secret', '请核对应用的 Secret（应用管理 → 自建应用 → Secret），以及 CorpID 是否属于同一企业。', "Check the app's Secret (App Management → the self-built app → Secret) and that it belongs to this CorpID."),
  40003: info('input', '无效的 UserID', 'Invalid UserID', '该成员不存在或不在应用可见范围内。', 'The member does not exist or is outside the app\'s visible range.'),
  40013: info('config', '不合法的 CorpID', 'Invalid CorpID', '请核对企业 ID（我的企业 → 企业信息 → 企业ID）。', 'Check the CorpID (My Company → Company Information → CorpID).'),
  40014: info('token', '不合法的 access_token', 'Invalid access_token', '已自动重新获取；持续出现请检查是否有其他服务使用同一 Secret。', 'Refetched automatically; if it persists, check whether another service shares this Secret.'),
  40029: info('auth', '不合法的 oauth_code', 'Invalid or expired OAuth code', '登录码已使用或已超过 5 分钟，请重新进入应用。', 'The sign-in code was already used or is older than 5 minutes; open the app again.'),
  40056: info('config', '不合法的 agentid', 'Invalid AgentID', '请核对应用的 AgentId。', "Check the app's AgentId."),
  40068: info('input', '不合法的标签 ID', 'Invalid tag ID', '可见范围中的标签不存在或已被删除：请在应用的可见范围里重新选择标签，再同步。', "A tag in the visible range does not exist or was deleted: pick the tags again in the app's visible range, then sync."),
  40091: info('config', 'secret 不合法', 'Secret not valid for this corp', '该 Secret 可能属于其他企业，请核对 CorpID 与 Secret。', 'This Secret probably belongs to another corp; check CorpID and Secret.'),
  40093: info('config', 'jsapi 签名错误', 'JS-SDK signature rejected', '签名用的票据或网址不对：页面网址须与 PUBLIC_URL 一致（协议、域名、端口、路径前缀；反向代理改写了协议时设置 TRUST_PROXY），且域名须为应用的可信域名。', 'Wrong ticket or URL: the page URL must match PUBLIC_URL (scheme, host, port, path prefix; set TRUST_PROXY when a reverse proxy changes the scheme), on the app\'s trusted domain.'),
  41001: info('token', '缺少 access_token 参数', 'Missing access_token', '内部错误，请联系开发者。', 'Internal error; contact the developers.'),
  42001: info('token', 'access_token 已过期', 'access_token expired', '已自动重新获取。', 'Refetched automatically.'),
  42012: info('config', 'jsapi_ticket 不可用', 'jsapi_ticket not usable', 'agentConfig 须用应用的票据（ticket/get?type=agent_config），且须用本应用 Secret 换取的 access_token。', "agentConfig needs the app ticket (ticket/get?type=agent_config), fetched with this app's own access_token."),
  42022: info('auth', 'code 已经被使用过', 'Code already used', '请重新进入应用。', 'Open the app again.'),
  45009: info('limit', '接口调用超过限制', 'API frequency limit reached', '企业微信已临时限流，稍后自动恢复。', 'WeCom throttled the calls; it lifts after the window.'),
  45033: info('limit', '接口并发调用超过限制', 'Too many concurrent calls', '稍后自动重试。', 'Retried automatically.'),
  48002: info('permission', 'API 接口无权限调用', 'No permission for this API', '请在管理后台为应用开通对应接口权限。', 'Grant the app permission for this API in the admin console.'),
  48006: info('permission', '接口权限被收回', 'API permission revoked', '请管理员在管理后台重新启用该应用。', 'An admin must re-enable the app in the admin console.'),
  48009: info('permission', '不再允许通讯录同步助手从新增 IP 读取通讯录详情', 'Contact-sync secret may not read details from a new IP', '请改用应用 Secret 读取通讯录，或使用已登记的出口 IP。', 'Read the directory with the app Secret, or call from an already registered egress IP.'),
  50001: info('config', 'redirect_uri 未登记可信域名', 'Redirect domain is not a trusted domain', '请在应用详情 → 网页授权及JS-SDK 中把可信域名设置为 {domain}（须完全一致，含端口）。', 'Set the trusted domain (App details → Web authorization and JS-SDK) to exactly {domain}, port included.'),
  50002: info('permission', '成员不在权限范围', 'Member outside the app\'s visible range', '请管理员把该成员加入应用的可见范围。', "An admin must add the member to the app's visible range."),
  50003: info('permission', '应用已禁用', 'The app is disabled', '请管理员在管理后台启用该应用。', 'An admin must enable the app in the admin console.'),
  84014: info('auth', '成员票据过期', 'The member ticket (user_ticket) expired', '授权后 30 分钟内有效；请成员重新点“补充联系方式”授权一次。', 'It lasts 30 minutes after consent; ask the member to tap 补充联系方式 and consent again.'),
  84015: info('auth', '成员票据无效', 'Invalid member ticket (user_ticket)', '票据不是本应用发出的，或已被使用；请成员重新授权。', 'The ticket was not issued to this app; ask the member to consent again.'),
  60011: info('permission', '指定的成员/部门/标签参数无权限', 'No permission for this member/department', '请检查应用的可见范围。', "Check the app's visible range."),
  60020: info('config', '不安全的访问 IP', 'Access from an untrusted IP', '请在应用详情 → 企业可信IP 中添加服务器出口 IP {ip}。', "Add the server's egress IP {ip} under App details → Trusted corporate IP (企业可信IP)."),
  60021: info('permission', 'userid 不在应用可见范围内', 'UserID outside the app\'s visible range', '请管理员把该成员加入应用的可见范围。', "An admin must add the member to the app's visible range."),
  60111: info('input', 'UserID 不存在', 'UserID does not exist', '该成员可能已被删除。', 'The member may have been deleted.'),
  80001: info('config', '可信域名不正确，或者无 ICP 备案', 'Trusted domain invalid or not ICP-filed', '可信域名须为完整域名且已备案，不能是 IP 或带端口。', 'The trusted domain must be a full, ICP-filed domain name, not an IP.'),
  43012: info('config', '应用需配置回调 URL', 'The app needs a callback URL', '按钮卡片会回调应用：请在 应用管理 → 应用 → 接收消息 中设置 API 接收（URL、Token、EncodingAESKey），待办卡片才能发出。', "Button cards call the app back: set 接收消息 → 设置API接收 (URL, Token, EncodingAESKey) for the app, then the todo cards can go out."),
  60140: info('input', '无效的 response_code', 'Invalid response_code', '卡片的更新码只能用一次且 72 小时内有效；已用过或已过期时卡片保持原样，无需处理。', 'A card\'s response_code works once, within 72 hours; when spent or expired the card simply stays as it is.'),
  81013: info('input', '成员、部门、标签全部非法或无权限', 'All recipients invalid or outside the visible range', '请检查接收人是否在应用可见范围内。', "Check that the recipients are in the app's visible range."),
  85005: info('config', '可信域名未通过所有权校验', 'Trusted domain ownership not verified', '请把 WW_verify_*.txt 放到域名根目录。', 'Serve the WW_verify_*.txt file at the domain root.'),
}

export function wecomErrorInfo(errcode: number): WeComErrorInfo | undefined {
  return wecomErrors[errcode]
}

/** WeCom's own errmsg ends with `from ip: 1.2.3.4`; that is the IP it saw (60020). */
export function ipFromErrmsg(errmsg: string): string | undefined {
  return errmsg.match(/from ip: ?([0-9a-fA-F.:]+)/)?.[1]
}

export function wecomHint(
  errcode: number,
  lang: 'zh' | 'en',
  vars: { ip?: string; domain?: string } = {},
): string | undefined {
  const i = wecomErrors[errcode]
  if (!i) return undefined
  const text = lang === 'zh' ? i.hintZh : i.hintEn
  return text
    .replaceAll('{ip}', vars.ip ?? (lang === 'zh' ? '（企业微信报告的 IP）' : '(the IP WeCom reports)'))
    .replaceAll('{domain}', vars.domain ?? (lang === 'zh' ? '（本应用的域名）' : "(this app's domain)"))
}
