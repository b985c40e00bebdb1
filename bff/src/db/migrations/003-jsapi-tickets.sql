-- JS-SDK tickets (https://developer.work.weixin.qq.com/document/path/90506), shared by every BFF instance: WeCom allows an app about
-- 100 ticket fetches an hour, so instances take turns through a lease instead of each fetching.
-- One row per corp, app and kind ('…/corp' for wx.config, '…/agent' for wx.agentConfig).
create table jsapi_tickets (
  key text primary key,
  -- Server-side only, like the access_token it was fetched with; it lives 2 hours.
  ticket text,
  expires_at timestamptz,
  -- When an instance should fetch the next one (a few minutes before expires_at).
  refresh_at timestamptz,
  fetched_at timestamptz,
  -- The instance fetching a new ticket right now, and until when that claim holds.
  lease_owner text,
  lease_until timestamptz
);
