-- Callbacks applied in batches (issue 11). A failed event waits for `retry_at` instead of
-- holding up the queue; `subject` (the member or department it is about) keeps the events of one
-- subject in arrival order: a later one waits while an earlier one is waiting for its retry.
alter table callback_events add column subject text;
alter table callback_events add column retry_at timestamptz;
update callback_events set subject = case
    when change_type in ('create_user', 'update_user', 'delete_user') then 'user:' || lower(payload->'fields'->>'UserID')
    when change_type in ('create_party', 'update_party', 'delete_party') then 'party:' || (payload->'fields'->>'Id')
  end
  where applied_at is null;
create index callback_events_pending_subject on callback_events (subject, received_at) where applied_at is null;
create index callback_events_retry on callback_events (retry_at) where applied_at is null and retry_at is not null;
