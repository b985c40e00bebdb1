-- Directory sync: the full WeCom member and department record, per-department membership,
-- sync runs, and the callback inbox. Nothing here is ever deleted by a sync: people and
-- departments that disappear upstream get disabled_at / removed_at.
alter table departments add column name_en text;
alter table departments add column leaders text[] not null default '{}';
alter table departments add column created_at timestamptz not null default now();
alter table departments add column removed_at timestamptz;

alter table members add column gender smallint;
alter table members add column mobile text;
alter table members add column telephone text;
alter table members add column email text;
alter table members add column biz_mail text;
alter table members add column direct_leaders text[] not null default '{}';
-- Search keys, computed when the row is written: 张三 → zhangsan / zs.
alter table members add column name_pinyin text not null default '';
alter table members add column name_initials text not null default '';
alter table members add column created_at timestamptz not null default now();
-- Set when a complete sync no longer sees the member; cleared if they come back.
alter table members add column disabled_at timestamptz;
-- Hash of the member as WeCom last described them: a sync compares hashes, not whole rows.
alter table members add column sync_hash text not null default '';

create table member_departments (
  userid text not null references members (userid) on delete cascade,
  department_id integer not null,
  -- WeCom's `order` inside that department: larger comes first.
  sort_order bigint not null default 0,
  is_leader boolean not null default false,
  primary key (userid, department_id)
);
create index member_departments_department on member_departments (department_id, sort_order desc);

create table sync_runs (
  id serial primary key,
  kind text not null check (kind in ('full', 'force')),
  trigger text not null,
  status text not null check (status in ('running', 'succeeded', 'failed', 'held', 'cancelled')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  heartbeat_at timestamptz not null default now(),
  progress jsonb not null default '{"phase":"starting","done":0,"total":0}',
  counts jsonb not null default '{}',
  errors jsonb not null default '[]',
  hold jsonb
);
create index sync_runs_started on sync_runs (started_at desc);

-- WeCom callbacks: answered at once, applied from here. The hash dedupes WeCom's retries.
create table callback_events (
  hash text primary key,
  received_at timestamptz not null default now(),
  msg_type text not null,
  event text,
  change_type text,
  payload jsonb not null,
  applied_at timestamptz,
  attempts integer not null default 0,
  last_error text
);
create index callback_events_pending on callback_events (received_at) where applied_at is null;

-- One row: bumped by every write to the directory so that each instance knows when to rebuild
-- its in-memory tree and search index.
create table directory_state (
  id integer primary key default 1 check (id = 1),
  version bigint not null default 0,
  synced_at timestamptz
);
insert into directory_state (id) values (1);
