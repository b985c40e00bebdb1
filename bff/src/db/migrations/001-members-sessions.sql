-- Members and departments as last read from WeCom. Directory sync (a later migration) widens these.
create table departments (
  id integer primary key,
  name text not null,
  parent_id integer,
  sort_order bigint not null default 0,
  updated_at timestamptz not null default now()
);

create table members (
  userid text primary key,
  name text not null,
  alias text,
  position text not null default '',
  avatar text,
  department_ids integer[] not null default '{}',
  main_department integer,
  -- WeCom's status: 1 active, 2 disabled, 4 not activated, 5 quit.
  status smallint not null,
  updated_at timestamptz not null default now()
);

create table role_grants (
  userid text not null,
  role text not null check (role in ('admin', 'member')),
  granted_by text not null,
  granted_at timestamptz not null default now(),
  primary key (userid, role)
);

-- Server-side sessions; the cookie holds a random id, the row its SHA-256.
create table sessions (
  id_hash text primary key,
  userid text not null,
  corp_id text not null,
  entry_context text not null,
  user_agent text not null default '',
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  idle_expires_at timestamptz not null,
  absolute_expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_userid on sessions (userid) where revoked_at is null;

-- OAuth `state`s: single use, short-lived, bound to the browser that asked for them.
create table login_states (
  nonce text primary key,
  browser_hash text not null,
  return_to text not null,
  retry smallint not null default 0,
  created_at timestamptz not null,
  used_at timestamptz
);
create index login_states_created on login_states (created_at);
