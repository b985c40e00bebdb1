-- Settings edited in the admin console. Env vars and the O2OA file win over these; secrets are
-- stored AES-256-GCM encrypted (value = base64url iv.ciphertext.tag), never in plain text.
create table settings (
  key text primary key,
  value text not null,
  encrypted boolean not null,
  updated_at timestamptz not null,
  updated_by text not null
);
-- One row: bumped with every change so every instance re-applies within seconds.
create table settings_version (
  id smallint primary key check (id = 1),
  version bigint not null
);
insert into settings_version (id, version) values (1, 0);

-- Who did what in the console (grants, settings, verify files, sync confirmations).
create table admin_audit (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  target text not null,
  detail text
);
create index admin_audit_at on admin_audit (at desc);

-- Grants go to a member (target = userid) or a whole department (target = id; inherited).
alter table role_grants rename column userid to target;
alter table role_grants add column kind text not null default 'member' check (kind in ('member', 'department'));
alter table role_grants drop constraint role_grants_pkey;
alter table role_grants add primary key (kind, target, role);

-- WW_verify_*.txt files (域名归属校验), served at the site root by every instance.
create table verify_files (
  name text primary key,
  content text not null,
  uploaded_at timestamptz not null,
  uploaded_by text not null
);

-- What the doctor cannot ask WeCom but we observe: the last 60020 (with the IP WeCom saw), the
-- last callback URL verification, the last callback that failed to verify or decrypt, the last
-- OAuth sign-in and the last 50001.
create table health_marks (
  name text primary key,
  at timestamptz not null,
  detail jsonb not null default '{}'
);
