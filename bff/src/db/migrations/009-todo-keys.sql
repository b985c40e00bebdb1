-- A todo is known by (source, origin, ref): an approval's sp_no and approver, or a host's name
-- and its external id. One text key `<origin>:<ref>` let a host named like an approval number
-- (the name rule allows digits) write over that approval's todos. Existing rows keep their
-- identity: `source_ref` was always `<origin>:<ref>`.
alter table todos add column ref text;
update todos set ref = substr(source_ref, length(origin) + 2);
alter table todos alter column ref set not null;
alter table todos drop column source_ref;
create unique index todos_key on todos (source, origin, ref);
