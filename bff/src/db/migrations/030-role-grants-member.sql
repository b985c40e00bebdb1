-- A member's granted roles are looked up by lower(userid) each time a session's principal is
-- loaded (every few seconds per active session): without an index that read every grant, and a
-- corp that grants access member by member has tens of thousands (20,000: 8.4 ms a lookup on
-- PGlite, 4.3 ms on PostgreSQL; with it 1.5 and 0.6 ms).
create index role_grants_member_lower on role_grants (lower(target)) where kind = 'member';
