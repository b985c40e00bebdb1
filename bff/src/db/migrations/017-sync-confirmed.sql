-- A held sync run an admin confirmed is 'confirmed' (the run that carried it out is named in
-- hold.confirmedBy), no longer 'cancelled': confirming was the only way a held run was cancelled.
alter table sync_runs drop constraint if exists sync_runs_status_check;
alter table sync_runs add constraint sync_runs_status_check check (status in ('running', 'succeeded', 'failed', 'held', 'cancelled', 'confirmed'));
update sync_runs set status = 'confirmed' where status = 'cancelled' and hold is not null;
