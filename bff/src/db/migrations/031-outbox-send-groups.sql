-- One message to many members (a host notification) is sent as one message/send call naming up
-- to 1,000 of them, not one call each: a broadcast to 100,000 members is 100 calls instead of
-- 100,000 against WeCom's 10,000 a minute and 150,000 an hour per API. The rows of such a
-- message share `send_group`; they are sent and settled together, so a resend after a crash
-- names the same members and WeCom's duplicate check recognises it.
alter table outbox add column send_group text;
create index outbox_groups_due on outbox (next_attempt_at, id) where status = 'pending' and send_group is not null;
create index outbox_group_rows on outbox (send_group, id) where status = 'pending' and send_group is not null;
