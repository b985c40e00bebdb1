-- Members a directory sync read that are new or changed, staged page by page while WeCom is
-- read and merged into members (one transaction) only once the whole read has succeeded, so a
-- 100k-member corp is never held in memory whole. One run at a time fills it (the sync leader
-- lock); a run empties it when it starts and when it ends, whatever the outcome. Unlogged and
-- without indexes: it is scratch space, written once and read once (PostgreSQL empties unlogged
-- tables after a crash, which is what a run wants too). The run stages each userid once
-- (compared case-insensitively, as WeCom does).
create unlogged table directory_staging (
  run_id integer not null,
  userid text not null,
  name text not null,
  alias text,
  position text not null,
  avatar text,
  department_ids integer[] not null,
  -- WeCom's order and leader flag per department, in department_ids' order (member_departments).
  department_orders bigint[] not null,
  department_leads boolean[] not null,
  main_department integer,
  status smallint not null,
  gender smallint,
  mobile text,
  telephone text,
  email text,
  biz_mail text,
  direct_leaders text[] not null,
  name_pinyin text not null,
  name_initials text not null,
  sync_hash text not null
);

-- Memberships are written only together with their member (sync, callbacks, sign-in) and
-- members are never deleted (disabled instead), so the foreign key guarded nothing the code does
-- not; its per-row check (a lock on the member row) was a third of the cost of writing 100k
-- members' memberships.
alter table member_departments drop constraint member_departments_userid_fkey;
