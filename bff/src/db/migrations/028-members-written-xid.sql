-- The transaction that last wrote each member, so that the directory read model (read-model.ts)
-- reloads only the members written since its last load instead of all of them after every change:
-- at 100k members a whole reload cost 2–7 s of CPU per instance, and one applied callback is enough
-- to start one. Inserts take it from the default, updates from the trigger, whoever writes them
-- (older builds included). Rows from before this migration stay null: a whole load reads them.
alter table members add column written_xid xid8;
alter table members alter column written_xid set default pg_current_xact_id();

create function members_written_xid() returns trigger language plpgsql as $$
begin
  new.written_xid := pg_current_xact_id();
  return new;
end
$$;

create trigger members_written_xid before update on members for each row execute function members_written_xid();
