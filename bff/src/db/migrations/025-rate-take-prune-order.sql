-- rate_take (011) pruned expired rows before it locked its own keys, in no particular order: two
-- calls could deadlock (one pruning a row that is the other's key while waiting for a key the
-- other holds). The prune now runs once the call holds its keys, and skips them. Otherwise the
-- same function.
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
language plpgsql as $$
#variable_conflict use_column
begin
  -- A budget is soft state: its commit need not wait for the WAL flush (1–30 ms per commit on a
  -- busy server). Called on its own (rate/budget.ts), so this covers the take alone. A database
  -- crash may forget the last fraction of a second of takes; no message is lost or repeated by
  -- that, the outbox records those durably.
  perform set_config('synchronous_commit', 'off', true);
  -- Create missing rows and lock all of them, in key order.
  insert into rate_buckets as b (key, slot_ms, head, used, expires_at)
  select k.key, k.slot, p_now / k.slot, '{}', 0 from unnest(p_keys, p_slot_ms) as k(key, slot) order by k.key
  on conflict (key) do update set key = b.key;

  -- Expired rows go, only once this call holds its own keys, and never its own: a prune that
  -- locked a row first could hold the key another call was about to lock while it waited for
  -- one that call held (a deadlock: it failed a take in a two-instance test run). Rows another call holds are skipped,
  -- so the prune never waits.
  if p_prune then
    delete from rate_buckets where key in (
      select key from rate_buckets where expires_at < p_now and key <> all(p_keys) for update skip locked);
  end if;

  return query
  -- Each key's slots moved up to now (a clock behind another instance's never moves them back):
  -- used[n] is slot head - len + n. `oldest` is the oldest slot still in the window.
  with k as (
    select k.*, b.head as old_head, b.used as old_used,
           greatest(p_now / k.slot, b.head) as head,
           ((k.win + k.slot - 1) / k.slot + 1)::integer as len,
           floor((p_now - k.win)::numeric / k.slot)::bigint as oldest
    from unnest(p_keys, p_groups, p_window_ms, p_slot_ms, p_limits) as k(key, grp, win, slot, lim)
    join rate_buckets b on b.key = k.key
  ),
  shifted as (
    select k.*, array(
      select coalesce(k.old_used[k.head - k.len + n - (k.old_head - coalesce(cardinality(k.old_used), 0))], 0)
      from generate_series(1, k.len) as n order by n
    ) as nu
    from k
  ),
  counted as (
    select s.*, (select coalesce(sum(x), 0) from unnest(s.nu) with ordinality as u(x, n) where s.head - s.len + n >= s.oldest)::integer as total
    from shifted s
  ),
  grants as (
    select c.grp, least(greatest(p_wants[c.grp], 0), min(greatest(c.lim - c.total, 0)))::integer as granted
    from counted c group by c.grp
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
             from unnest(a.used_after) with ordinality as u(x, n) where a.head - a.len + u.n >= a.oldest) q
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
