import { OUTBOX_CHANNEL, type SessionFacts } from '@remote-help/events';
import { KEEP_NEWER_SETTING } from '../tenant-settings/tenant-settings.store';

/**
 * The statements of the hot paths (request, join, respond, end, ...), each a single statement:
 * PostgreSQL runs a single statement outside a transaction block as a transaction of its own,
 * so the session row, its outbox row (the lifecycle event, which also carries the audit log
 * line) and the relay's wake-up are written together or not at all, in one round trip and
 * without BEGIN/COMMIT round trips. They run as named prepared statements (parsed and planned
 * once per connection).
 *
 * The outbox payload is built in JavaScript (ids, types, times, actors: everything the row
 * does not hold) and completed in SQL from the row just written: the lifecycle event's `data`
 * (SessionFacts, as `factsOf` makes them) with its audit part's `details` (as `sessionAuditDetails`
 * makes them). The unit and integration tests hold the SQL and the JavaScript forms equal.
 */

/** A timestamptz as `Date#toISOString()` writes it (UTC, milliseconds truncated, as node-postgres reads them). */
const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each field of SessionFacts (libs/events' SessionFactsSchema) but the audit part, as a SQL
 * expression over the row `s`, the actor id being `$actor`: the type requires exactly the
 * schema's fields, and the unit and integration tests check the result against the schema.
 */
export const FACTS_COLUMNS = {
  sessionId: 's.id',
  tenantId: 's.tenant_id',
  helperId: 's.helper_id',
  sharerId: 's.sharer_id',
  deviceId: 's.device_id',
  platform: 's.platform',
  deviceEnrolled: 's.device_enrolled',
  requestedMode: 's.requested_mode',
  mode: 's.mode',
  state: 's.state',
  elevated: 's.elevated',
  chatEnabled: 's.chat_enabled',
  chatUsed: 's.chat_used',
  reason: 's.reason',
  requestedAt: iso('s.requested_at'),
  startedAt: iso('s.started_at'),
  endedAt: iso('s.ended_at'),
  endReason: 's.end_reason',
  actorId: '$actor::text',
  version: 's.version',
} as const satisfies Record<Exclude<keyof SessionFacts, 'audit'>, string>;

/** `factsOf(row, actorId)` in SQL, for the row `s` and the actor id in parameter `actor`. */
export const factsSql = (actor: string) =>
  `jsonb_build_object(${Object.entries(FACTS_COLUMNS)
    .map(([field, sql]) => `'${field}', ${sql.replace('$actor', () => actor)}`)
    .join(', ')})`;

/** `sessionAuditDetails(row)` (libs/events) in SQL (concat_ws skips the NULL parts). */
export const AUDIT_DETAILS_SQL = `concat_ws(' ', 'state=' || s.state, 'mode=' || s.mode, 'device=' || s.device_id, 'sharer=' || s.sharer_id,
  'endReason=' || s.end_reason, CASE WHEN s.elevated THEN 'elevated' END)`;

/**
 * The outbox row of a transition of the row `s` (a CTE): its lifecycle event, the `data`
 * completed (SessionFacts with the transition's audit part, its `details` completed), and the
 * trace context of the request (null outside a trace).
 * Parameters from `p`: event id, topic, key, event, audit part, actor id, trace context.
 */
function outboxCte(p: number): string {
  const $ = (i: number) => `$${p + i}`;
  return `ob AS (
  INSERT INTO outbox (event_id, topic, key, payload, trace_context)
  SELECT ${$(0)}::uuid, ${$(1)}::text, ${$(2)}::text,
         jsonb_set(${$(3)}::jsonb, '{data}', ${factsSql(`${$(5)}`)} || jsonb_build_object('audit', jsonb_set(${$(4)}::jsonb, '{details}', to_jsonb(${AUDIT_DETAILS_SQL})))),
         ${$(6)}::jsonb
  FROM s
  RETURNING 1
)`;
}

/**
 * The relay's wake-up (delivered at commit), once, when the row was written, if parameter `p`
 * is true: false when a relay runs in this process, which is woken directly after the commit
 * (PostgreSQL serialises the commits that notify, cluster-wide).
 */
const notify = (p: number) => `CASE WHEN $${p}::boolean THEN pg_notify('${OUTBOX_CHANNEL}', '') END AS notified`;

/** How many parameters `outboxCte` takes. */
export const OUTBOX_PARAMS = 7;

/**
 * A new session with its events, and (when rbac-service's answer carried it) the tenant's chat
 * setting if newer than the one kept; `chat_enabled` is the setting as stored after that
 * (chat disabled while the tenant is unknown here: fail closed).
 *  $1 id, $2 tenant, $3 helper, $4 device, $5 mode, $6 state, $7 reason, $8 platform,
 *  $9 enrolled, $10 compliance, $11 code hash, $12 first deadline in ms,
 *  $13 setting: chat disabled, $14 setting: version (NULL: no setting), then the outbox's
 *  ($15 to $21), $22 notify the relay.
 */
export const INSERT_SESSION_SQL = `
WITH up AS (
  INSERT INTO tenant_settings (tenant_id, chat_disabled, version, updated_at)
  SELECT $2::uuid, $13::boolean, $14::int, now() WHERE $14::int IS NOT NULL
    -- Only a newer setting than the one kept: ON CONFLICT DO UPDATE locks the tenant's row
    -- even when its WHERE then keeps the row as it is, which would queue every request of the
    -- tenant behind the one before it until that one commits.
    AND NOT EXISTS (SELECT 1 FROM tenant_settings WHERE tenant_id = $2::uuid AND version >= $14::int)
  ${KEEP_NEWER_SETTING}
  RETURNING chat_disabled
),
s AS (
  INSERT INTO sessions (id, tenant_id, helper_id, sharer_id, device_id, mode, requested_mode, state, elevated, chat_enabled, chat_used,
                        reason, platform, device_enrolled, device_compliance, code_hash, code_expires_at, due_at, requested_at, version)
  VALUES ($1::uuid, $2::uuid, $3::uuid, NULL, $4::uuid, $5::text, $5::text, $6::text, false,
          COALESCE(NOT COALESCE((SELECT chat_disabled FROM up), (SELECT chat_disabled FROM tenant_settings WHERE tenant_id = $2::uuid)), false),
          false, $7::text, $8::text, $9::boolean, $10::text, $11::text,
          CASE WHEN $11::text IS NULL THEN NULL ELSE now() + ($12::bigint * interval '1 millisecond') END,
          now() + ($12::bigint * interval '1 millisecond'), now(), 1)
  RETURNING *
),
${outboxCte(15)}
SELECT s.*, ${notify(22)} FROM s`;

/**
 * A SessionChange applied to the row as judged: no row when its version moved on meanwhile.
 *  $1 id, $2 version judged, $3 state, $4 mode, $5 pending request given, $6 pending request,
 *  $7 elevated, $8 chat used, $9 sharer, $10 started, $11 ended, $12 end reason, $13 timer,
 *  $14 timer ms (SessionStore.applyParams).
 */
const UPDATE_JUDGED = `UPDATE sessions SET
    state = $3::text,
    mode = COALESCE($4::text, mode),
    pending_control_request = CASE WHEN $5::boolean THEN $6::text ELSE pending_control_request END,
    elevated = elevated OR $7::boolean,
    chat_used = chat_used OR $8::boolean,
    sharer_id = COALESCE($9::uuid, sharer_id),
    started_at = CASE WHEN $10::boolean THEN now() ELSE started_at END,
    helper_seen_at = CASE WHEN $10::boolean THEN now() ELSE helper_seen_at END,
    sharer_seen_at = CASE WHEN $10::boolean THEN now() ELSE sharer_seen_at END,
    ended_at = CASE WHEN $11::boolean THEN now() ELSE ended_at END,
    end_reason = CASE WHEN $11::boolean THEN $12::text ELSE end_reason END,
    code_hash = CASE WHEN $3::text = 'WAITING_FOR_SHARER' THEN code_hash ELSE NULL END,
    due_at = CASE $13::text WHEN 'KEEP' THEN due_at WHEN 'NONE' THEN NULL ELSE now() + ($14::bigint * interval '1 millisecond') END,
    version = version + 1
  WHERE id = $1::uuid AND version = $2::int`;

/** UPDATE_JUDGED on its own, inside a caller's transaction (timers, the first chat message). */
export const APPLY_ROW_SQL = `${UPDATE_JUDGED} RETURNING *`;

/**
 * A transition applied to the row as judged (`WHERE id = $1 AND version = $2`: no row when it
 * changed meanwhile), with its events. For a join, $15 (the code's hash) also requires that
 * the session still waits with that code and that the code has not expired.
 *  $1 id, $2 version judged, $3 state, $4 mode, $5 pending request given, $6 pending request,
 *  $7 elevated, $8 chat used, $9 sharer, $10 started, $11 ended, $12 end reason, $13 timer,
 *  $14 timer ms, $15 code hash (join only), then the outbox's ($16 to $22), $23 notify the relay.
 */
export const APPLY_SQL = `
WITH s AS (
  ${UPDATE_JUDGED}
    AND ($15::text IS NULL OR (code_hash = $15::text AND state = 'WAITING_FOR_SHARER' AND code_expires_at > now()))
  RETURNING *
),
${outboxCte(16)}
SELECT s.*, ${notify(23)} FROM s`;

/** The session of this tenant with this id ($1 id, $2 tenant). */
export const FIND_SQL = `SELECT * FROM sessions WHERE id = $1::uuid AND tenant_id = $2::uuid`;

/**
 * For joinSession, in one round trip: the caller's wrong codes within the window (count, and
 * when the oldest leaves it) and the session waiting for a sharer with this code, if the code is
 * still valid (the session's columns are NULL when there is none).
 *  $1 user, $2 window in ms, $3 code hash (NULL: none).
 */
export const JOIN_LOOKUP_SQL = `
SELECT f.failures, f.retry_ms, s.*
FROM (SELECT count(*)::int AS failures,
             COALESCE(EXTRACT(EPOCH FROM (min(failed_at) + ($2::bigint * interval '1 millisecond') - now())) * 1000, 0)::bigint AS retry_ms
      FROM join_failures WHERE user_id = $1::uuid AND failed_at > now() - ($2::bigint * interval '1 millisecond')) f
LEFT JOIN sessions s ON s.code_hash = $3::text AND s.state = 'WAITING_FOR_SHARER' AND s.code_expires_at > now()`;

/** The session, if it still waits for the sharer with this code and the code is valid ($1 id, $2 code hash). */
export const FIND_FOR_JOIN_SQL = `SELECT * FROM sessions WHERE id = $1::uuid AND code_hash = $2::text AND state = 'WAITING_FOR_SHARER' AND code_expires_at > now()`;
