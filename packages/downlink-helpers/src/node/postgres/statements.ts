/**
 * The SQL of the PostgreSQL journal. Each statement is one round trip: a batch of claims and
 * outcomes together, a lease of send slots, a throttle, a read page, the counts.
 */
import type { Tables } from './schema.js';

/** Whether the worker of row `i` still runs: it holds its advisory lock in the layout's space. */
const alive = (t: Tables) => `EXISTS (
  SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${t.lockSpace}::oid AND l.objid = i.worker::oid)`;

/** Ids of the live workers of this layout (any campaign). */
export const liveWorkers = (t: Tables) => `
SELECT l.objid::bigint AS id FROM pg_locks l
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ${t.lockSpace}::oid`;

/**
 * One batch of a worker ($2), in one statement: the outcomes of items it is sending (keys $3,
 * states $4, statuses $5; only rows it still holds are written, the count tells), and claims
 * of the next items (keys $6, indexes $7, digests $8).
 *
 * A claim inserts the item's row (`ON CONFLICT DO NOTHING`: a row someone has is left alone,
 * without a lock), or takes over a row certainly not being sent: a `not-sent` (given up by its
 * worker, never processed by DX), a `retry` of its own or of a worker that is gone, or (keys $9, asked with `resendUnknown`) an `unknown`, or a `start` of
 * a worker that is gone. Rows go in index order, as every worker iterates them, so batches do
 * not wait on each other in a circle (and a deadlock, were one to happen, rolls the statement
 * back whole: it is run again).
 *
 * Also returns the keys other workers claimed after row $10 (`seq`): the worker skips them
 * without asking, instead of one failed claim per item when all workers read the same input.
 */
export const claimAndRecord = (t: Tables) => `
WITH outcome AS (
  UPDATE ${t.items} i SET state = o.state, status = o.status, updated_at = now()
  FROM unnest($3::text[], $4::text[], $5::int[]) AS o(key, state, status)
  WHERE i.campaign = $1 AND i.key = o.key AND i.worker = $2 AND i.state IN ('start', 'retry')
  RETURNING i.key
), wanted AS (
  SELECT * FROM unnest($6::text[], $7::int[], $8::text[]) AS w(key, idx, digest)
), retaken AS (
  UPDATE ${t.items} i SET state = 'start', worker = $2, attempts = i.attempts + 1, updated_at = now()
  FROM wanted w
  WHERE i.campaign = $1 AND i.key = w.key AND i.digest = w.digest AND (
    i.state = 'not-sent'
    OR (i.state = 'retry' AND (i.worker = $2 OR NOT ${alive(t)}))
    OR (i.key = ANY($9::text[])
        AND (i.state = 'unknown' OR (i.state = 'start' AND i.worker <> $2 AND NOT ${alive(t)}))))
  RETURNING i.key
), inserted AS (
  INSERT INTO ${t.items} (campaign, key, idx, digest, state, worker)
  SELECT $1, key, idx, digest, 'start', $2 FROM wanted ORDER BY idx
  ON CONFLICT (campaign, key) DO NOTHING
  RETURNING key
), held AS (
  SELECT i.key, i.digest FROM ${t.items} i JOIN wanted w ON i.key = w.key WHERE i.campaign = $1
), feed AS (
  SELECT seq, key, worker FROM ${t.items}
  WHERE campaign = $1 AND seq > $10 ORDER BY seq LIMIT 5000
)
SELECT
  (SELECT count(*) FROM outcome)::int AS recorded,
  (SELECT coalesce(array_agg(r.key), '{}') FROM retaken r) AS retaken,
  (SELECT coalesce(array_agg(n.key), '{}') FROM inserted n) AS inserted,
  (SELECT coalesce(json_object_agg(h.key, h.digest), '{}') FROM held h) AS held,
  (SELECT coalesce(array_agg(f.key), '{}') FROM feed f WHERE f.worker <> $2) AS taken,
  (SELECT max(f.seq) FROM feed f)::text AS last_seq`;

/** CUBIC's time to climb back to the rate of the last throttle, cbrt((1 - 0.7) / 0.04) s. */
const CLIMB_SECONDS = Math.cbrt(0.3 / 0.04);

/**
 * The campaign's rate now (columns of the campaigns row, `t` the time): its ceiling, or after
 * a throttle a CUBIC curve from 0.7 x the rate then, back to it in ~2 s, then probing above.
 * The same curve as each run's own pace (rate-controller.ts), kept for all workers together.
 */
const RATE = `CASE WHEN cut_at IS NULL THEN coalesce(ceiling, 'Infinity'::float8)
  ELSE least(coalesce(ceiling, 'Infinity'::float8), greatest(0.5,
    cut_rate * (1 + 0.04 * power(extract(epoch FROM t - cut_at)::float8 - ${CLIMB_SECONDS}, 3))))
  END`;

/**
 * Reserves the next `n` send slots of the campaign ($1) for this worker: `n` covers $2 seconds
 * at the rate now (256 when nothing limits it), and adds the $3 answers DX served this worker
 * since its last lease. Slots as old as $4 seconds that nobody took are still given (a lease
 * that came back late catches up instead of losing that time). Returns the slots' spacing (the rate) and how
 * far ahead the first one is; once a second, measures the rate DX served.
 */
export const leaseSlots = (t: Tables) => `
WITH c AS (
  SELECT *, clock_timestamp() AS t FROM ${t.campaigns} WHERE name = $1 FOR NO KEY UPDATE
), r AS (
  SELECT c.*, ${RATE} AS rate FROM c
), g AS (
  -- Slots up to $4 s old that nobody took are still given: a lease that came back late (a
  -- busy worker, a slow round trip) catches up that little instead of losing the time.
  SELECT r.*, greatest(next_at, t - make_interval(secs => $4), paused_until) AS from_at,
    CASE WHEN rate = 'Infinity' THEN 256 ELSE greatest(1, ceil(rate * $2))::int END AS n
  FROM r
)
UPDATE ${t.campaigns} k SET
  next_at = g.from_at + make_interval(secs => g.n / g.rate),
  served = g.served + $3,
  served_rate = CASE WHEN g.t - g.mark_at >= interval '1 second'
    THEN (g.served + $3 - g.mark_served) / extract(epoch FROM g.t - g.mark_at)::float8
    ELSE g.served_rate END,
  mark_served = CASE WHEN g.t - g.mark_at >= interval '1 second' THEN g.served + $3 ELSE g.mark_served END,
  mark_at = CASE WHEN g.t - g.mark_at >= interval '1 second' THEN g.t ELSE g.mark_at END
FROM g WHERE k.name = g.name
RETURNING g.n, g.rate, extract(epoch FROM g.from_at - g.t)::float8 * 1000 AS delay_ms`;

/**
 * A 429/503 to a request sent $2 ms ago: cuts the campaign's rate to what DX was seen to serve
 * (once per round trip: a throttle of a request sent before the last cut says nothing new),
 * and pauses every worker for a long Retry-After ($3 ms).
 */
export const throttle = (t: Tables) => `
WITH c AS (
  SELECT *, clock_timestamp() AS t FROM ${t.campaigns} WHERE name = $1 FOR NO KEY UPDATE
), r AS (
  SELECT c.*, ${RATE} AS rate,
    cut_at IS NULL OR cut_at <= t - make_interval(secs => $2 / 1000.0) AS fresh,
    coalesce(nullif(served_rate, 0),
      nullif((served - mark_served) / greatest(extract(epoch FROM t - mark_at)::float8, 0.001), 0),
      -- Nothing served yet to measure: the rate that was allowed (1/s when none was).
      CASE WHEN ${RATE} < 'Infinity'::float8 THEN ${RATE} ELSE 1 END) AS measured
  FROM c
)
UPDATE ${t.campaigns} k SET
  cut_at = CASE WHEN r.fresh THEN r.t ELSE r.cut_at END,
  cut_rate = CASE WHEN r.fresh THEN greatest(0.5, least(r.rate, r.measured)) ELSE r.cut_rate END,
  paused_until = CASE WHEN $3::float8 > ${5000}
    THEN greatest(r.paused_until, r.t + make_interval(secs => $3 / 1000.0)) ELSE r.paused_until END
FROM r WHERE k.name = r.name`;

/** One page of the campaign's rows in claim order, after `seq` $2. */
export const readPage = (t: Tables) => `
SELECT seq::text AS seq, key, idx, digest, state, status, worker FROM ${t.items}
WHERE campaign = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

export const countStates = (t: Tables) => `
SELECT state, worker, count(*)::int AS n FROM ${t.items} WHERE campaign = $1 GROUP BY state, worker`;
