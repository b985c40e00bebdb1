-- Contact details members agreed to share (issue 12): WeCom gives apps created after 2022-06-20 no
-- mobile, email, avatar, gender or address through user/get; a member may share theirs through
-- snsapi_privateinfo + auth/getuserdetail. Kept apart from `members`, which the sync rewrites, so
-- that no sync erases them; a member's withdrawal deletes their row. userid is lower-case.
create table member_contacts (
  userid text primary key,
  mobile text,
  email text,
  biz_mail text,
  avatar text,
  -- 1 male, 2 female, as in members.gender; null when not shared.
  gender smallint,
  address text,
  consented_at timestamptz not null
);

-- The member's answer to the one-time offer, so they are asked once: never again after any one.
create table member_contact_prompts (
  userid text primary key,
  decision text not null check (decision in ('consented', 'dismissed', 'declined', 'withdrawn')),
  decided_at timestamptz not null
);

-- A consent sign-in's state names the signed-in member who started it (null: an ordinary sign-in).
alter table login_states add column consent_for text;
