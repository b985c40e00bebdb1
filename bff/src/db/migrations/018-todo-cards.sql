-- Todo notifications are template cards (button_interaction) that are updated when the todo is
-- done, cancelled or reassigned (message/update_template_card). An update is an outbox row of its
-- own (kind 'update', card_of = the row that sent the card), so MESSAGE_ENABLE, crash safety and
-- member pacing apply to it exactly as to a send. The card's row keeps WeCom's task_id and the
-- response_code that may update it: single use, 72 h from when WeCom issued it (by message/send,
-- or by a later template_card_event, which gives a fresh one).
alter table outbox add column kind text not null default 'send' check (kind in ('send', 'update'));
alter table outbox add column card_of bigint;
alter table outbox add column task_id text;
alter table outbox add column response_code text;
alter table outbox add column response_code_at timestamptz;
create index outbox_todo_cards on outbox (todo_id) where task_id is not null;
create index outbox_card_of on outbox (card_of) where card_of is not null;
create index outbox_task_id on outbox (task_id) where task_id is not null;

-- template_card_event callbacks: a member tapped a button of a card. At least once from the
-- inbox, so the same tap (same card, member, key and CreateTime) is kept once.
create table card_events (
  id bigserial primary key,
  task_id text not null,
  userid text not null,
  event_key text not null,
  card_type text not null,
  todo_id text,
  at timestamptz not null,
  unique (task_id, userid, event_key, at)
);
