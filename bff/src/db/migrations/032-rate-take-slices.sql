-- rate_take (011, 025) built each key's window with a sorted subquery per slot and summed it with
-- another: ≈ 55 µs a key on PostgreSQL, 75 on PGlite, so reserving a send group's 1,000 members
-- (2,000 keys) took 110–150 ms. The window is now moved with array slices and summed once.
--
-- And a take can be whole (`p_whole`): if any request would get less than it wants, nobody takes
-- anything. A send group goes to all of its members or waits; taking the others' units while it
-- waits for one member spent a unit of each of theirs per attempt (up to their 30 a minute).
-- The short requests still say when they can have what they want (`free_at`).
--
-- The eight-argument rate_take that older builds call stays, now this one with p_whole false:
-- the same answers as before.
create function rate_take(
  p_now bigint,
  p_keys text[],
  p_groups integer[],
  p_window_ms integer[],
  p_slot_ms integer[],
  p_limits integer[],
  p_wants integer[],
  p_prune boolean,
  p_whole boolean
) returns table (grp integer, granted integer, free_at bigint)
language plpgsql as $$
#variable_conflict use_column
begin
  -- Soft state (see 011): the take's commit does not wait for the WAL flush.
  perform set_config('synchronous_commit', 'off', true);
  -- Create missing rows and lock all of them, in key order (no deadlock between calls).
  insert into rate_buckets as b (key, slot_ms, head, used, expires_at)
  select k.key, k.slot, p_now / k.slot, '{}', 0 from unnest(p_keys, p_slot_ms) as k(key, slot) order by k.key
  on conflict (key) do update set key = b.key;

  -- Expired rows go once this call holds its keys, never its own, never waiting (025).
  if p_prune then
    delete from rate_buckets where key in (
      select key from rate_buckets where expires_at < p_now and key <> all(p_keys) for update skip locked);
  end if;

  return query
  -- Each key's slots moved up to now (a clock behind another instance's never moves them back):
  -- nu[n] is slot head - len + n. The stored used[m] is slot old_head - cardinality(used) + m, so
  -- nu[n] = used[n + d]: zeros before the stored ones (a new row), the stored ones still in the
  -- window, zeros for the slots since. `first` is nu's first slot still in the window.
  with k as (
    select k.key, k.grp, k.win, k.slot, k.lim, b.used as old_used, coalesce(cardinality(b.used), 0) as c,
           greatest(p_now / k.slot, b.head) as head,
           ((k.win + k.slot - 1) / k.slot + 1)::integer as len,
           greatest(p_now / k.slot, b.head) - ((k.win + k.slot - 1) / k.slot + 1) - b.head + coalesce(cardinality(b.used), 0) as d,
           floor((p_now - k.win)::numeric / k.slot)::bigint as oldest
    from unnest(p_keys, p_groups, p_window_ms, p_slot_ms, p_limits) as k(key, grp, win, slot, lim)
    join rate_buckets b on b.key = k.key
  ),
  spans as (
    select k.*, least(k.len, greatest(0, -k.d))::integer as lead,
           greatest(1, 1 + k.d)::integer as lo, least(k.c, k.len + k.d)::integer as hi,
           greatest(1, k.oldest - (k.head - k.len))::integer as first
    from k
  ),
  shifted as materialized (
    select s.key, s.grp, s.win, s.slot, s.lim, s.head, s.len, s.oldest, s.first,
           array_fill(0, array[s.lead]) || s.old_used[s.lo : s.hi]
             || array_fill(0, array[s.len - s.lead - greatest(0, s.hi - s.lo + 1)]) as nu
    from spans s
  ),
  counted as materialized (
    select s.*, (select coalesce(sum(x), 0) from unnest(s.nu[s.first : s.len]) as x)::integer as total
    from shifted s
  ),
  can as (
    select c.grp, least(greatest(p_wants[c.grp], 0), min(greatest(c.lim - c.total, 0)))::integer as n
    from counted c group by c.grp
  ),
  grants as materialized (
    select c.grp, case when p_whole and exists (select 1 from can x where x.n < greatest(p_wants[x.grp], 0)) then 0 else c.n end as granted
    from can c
  ),
  after as (
    select c.*, g.granted, c.nu[1 : c.len - 1] || (c.nu[c.len] + g.granted) as used_after
    from counted c join grants g on g.grp = c.grp
  ),
  saved as (
    update rate_buckets b set head = a.head, used = a.used_after, expires_at = (a.head + 1) * a.slot + a.win
    from after a where b.key = a.key
    returning b.key
  ),
  -- Short of what was asked: when has each short key let enough units go?
  frees as (
    select a.grp, max(coalesce(
      (select (a.head - a.len + q.n + 1) * a.slot + a.win
       from (select u.n, sum(u.x) over (order by u.n) as cum
             from unnest(a.used_after) with ordinality as u(x, n) where u.n >= a.first) q
       where q.cum >= a.total + p_wants[a.grp] - a.lim order by q.n limit 1),
      (a.head + 1) * a.slot + a.win)) as free_at
    from after a
    where a.granted < p_wants[a.grp] and a.lim - a.total < p_wants[a.grp]
    group by a.grp
  )
  select g.grp, g.granted, f.free_at
  from grants g left join frees f on f.grp = g.grp
  where (select count(*) from saved) >= 0
  order by g.grp;
end
$$;

create or replace function rate_take(
  p_now bigint,
  p_keys text[],
  p_groups integer[],
  p_window_ms integer[],
  p_slot_ms integer[],
  p_limits integer[],
  p_wants integer[],
  p_prune boolean
) returns table (grp integer, granted integer, free_at bigint)
language sql as $$
  select * from rate_take(p_now, p_keys, p_groups, p_window_ms, p_slot_ms, p_limits, p_wants, p_prune, false)
$$;
