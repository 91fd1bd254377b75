// The access-decision scenario's checks, drawn afresh: 85% by helpers (the rest by any user of
// the directory), any device of the directory, 55% full control, 40% view only, 5% unattended.
// Each load run draws its own sequence from a seed of its own and never replays one, so that the
// checks reach the whole directory (at 10x: 100,000 users, 500,000 devices) and rbac-service's
// in-memory facts are only as warm as a real help desk would leave them. Pure and deterministic:
// the scenario can replay a run's draws to count what it touched.
import { deviceId, HELPER_EVERY, userId } from './directory-seed.mjs';
import { prng } from './prng.mjs';

export const CHECK = 'query Check($h: ID!, $d: ID!, $m: SessionMode!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: $m) { allowed reasons grantedPermissions } }';

/** A drawer of checks over a directory of `size` (users, devices): each call returns { helper, device, mode } (1-based indexes). */
export function checkDrawer(size, seed) {
  const rnd = prng(seed);
  const helpers = Math.floor(size.users / HELPER_EVERY);
  return () => {
    const helper = rnd() < 0.85 ? HELPER_EVERY * (1 + Math.floor(rnd() * helpers)) : 1 + Math.floor(rnd() * size.users);
    const m = rnd();
    const mode = m < 0.55 ? 'FULL_CONTROL' : m < 0.95 ? 'VIEW_ONLY' : 'UNATTENDED';
    return { helper, device: 1 + Math.floor(rnd() * size.devices), mode };
  };
}

/** The variables of a drawn check in tenant `tenantId`. */
export function checkVariables(tenantId, c) {
  return { h: userId(tenantId, c.helper), d: deviceId(tenantId, c.device), m: c.mode };
}

/** The JSON request body of a drawn check. */
export function checkBody(tenantId, c) {
  return JSON.stringify({ query: CHECK, variables: checkVariables(tenantId, c) });
}
