-- What an outbox row is about, named generically: (ref_kind, ref_id) instead of todo_id, so the
-- outbox serves every feature that messages members. Existing rows keep their meaning: a row
-- with a todo_id becomes ('todo', <that id>); one without stays without.
alter table outbox rename column todo_id to ref_id;
alter table outbox add column ref_kind text;
update outbox set ref_kind = 'todo' where ref_id is not null;
alter table outbox add constraint outbox_ref_whole check ((ref_kind is null) = (ref_id is null));
drop index outbox_todo_cards;
create index outbox_ref_cards on outbox (ref_kind, ref_id) where task_id is not null;
