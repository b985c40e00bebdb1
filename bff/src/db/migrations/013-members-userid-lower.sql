-- WeCom userids are case-insensitive, so members are looked up by lower(userid) (the host API's
-- assignee check, on every write; sign-in; notification targets). Without this index each of
-- those reads the whole table: 100,000 rows at a large corp.
create index members_userid_lower on members (lower(userid));
