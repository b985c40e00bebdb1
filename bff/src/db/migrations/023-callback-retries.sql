-- Callbacks at volume (issue 11).
-- `retries` counts transient failures (WeCom busy or throttled, the network, the database away):
-- they are tried again with backoff and never count toward parking an event; `attempts` now
-- counts permanent failures only.
-- `plaintext` keeps the decrypted message as WeCom sent it (XML), parsed again by the worker:
-- storing it as text costs the acknowledgement half of what a jsonb `payload` did. Rows written
-- by older builds keep their `payload`, which the worker still reads.
alter table callback_events add column retries integer not null default 0;
alter table callback_events add column plaintext text;
alter table callback_events alter column payload drop not null;
