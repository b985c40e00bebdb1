-- The doctor's outbox digest reads the messages queued in the last 24 hours: by this index, not by
-- a scan of every message kept (measured with a million: 0.7–1.9 s a doctor run, and on PGlite
-- every other query waited that long).
create index outbox_created on outbox (created_at);
