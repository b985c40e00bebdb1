-- The approval catch-up (todos/approval-sync.ts) at a large corp. Each run re-reads a share of the
-- open approvals, in sp_no order from where the last run stopped (`open_cursor`), instead of every
-- one of them, and one instance runs it at a time: a run holds `lease_until` (renewed while it goes
-- on; `lease_holder` names the run) and another instance's run finds it held and does nothing.
alter table approval_sync_state add column open_cursor text not null default '';
alter table approval_sync_state add column lease_holder text;
alter table approval_sync_state add column lease_until timestamptz;
-- The open approvals, read without every approval todo ever kept: todos_key (source, origin, ref)
-- gave them only by reading all of a corp's approval todos and dropping the closed ones.
create index todos_open_approvals on todos (origin) where source = 'approval' and status = 'pending';
