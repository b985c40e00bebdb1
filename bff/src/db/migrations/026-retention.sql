-- Retention (src/retention): rows past their use are deleted daily, in batches found by index.
-- Sessions go by their absolute expiry, which never moves (the idle one slides on every touch,
-- and an index on it would cost every touch a non-HOT update).
create index sessions_absolute_expires on sessions (absolute_expires_at);
-- Applied callbacks by arrival; the acknowledgement's insert (applied_at null) does not touch it.
create index callback_events_applied on callback_events (received_at) where applied_at is not null;
