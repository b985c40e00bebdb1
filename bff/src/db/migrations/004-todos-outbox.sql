-- Todos: one row per (source, reference): an approval's sp_no and approver, or a host's
-- external id. Closed todos stay (status done/cancelled) for the Done tab and the audit trail.
create table todos (
  id text primary key,
  assignee text not null,
  source text not null check (source in ('approval', 'host')),
  -- approval: '<sp_no>:<approver userid>'; host: '<host name>:<external id>'.
  source_ref text not null unique,
  origin text not null,
  external_id text,
  title text not null,
  summary text not null default '',
  link text not null,
  status text not null check (status in ('pending', 'done', 'cancelled')),
  requester text,
  due_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index todos_assignee on todos (lower(assignee), status, updated_at desc);

-- Notifications to send through message/send. Written in the same transaction as the change
-- that causes them; a worker sends, retries and records the outcome. `dedupe_key` makes
-- enqueueing idempotent; WeCom's enable_duplicate_check covers a crash between send and record.
create table outbox (
  id bigserial primary key,
  dedupe_key text not null unique,
  userid text not null,
  todo_id text,
  message jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'suppressed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  created_at timestamptz not null,
  sent_at timestamptz,
  msgid text,
  last_error text,
  invaliduser text,
  unlicenseduser text
);
create index outbox_due on outbox (next_attempt_at) where status = 'pending';

-- Last known reason WeCom would not deliver to a member (invaliduser / unlicenseduser).
alter table members add column notify_problem text;
alter table members add column notify_problem_at timestamptz;

-- Approval catch-up: how far the scheduled scan has read.
create table approval_sync_state (
  id integer primary key default 1 check (id = 1),
  scanned_until timestamptz
);
insert into approval_sync_state (id) values (1);
