import type { Caller } from '@remote-help/auth';
import { forbidden } from '@remote-help/service-kit';

/**
 * Who may read the directory (users, devices, groups, licences):
 * - a signed-in user of the tenant reads all of it: helpers look up users and devices, and helper
 *   and sharer see each other's profile. Changing it needs MANAGE_DIRECTORY (AdminAuthorizer).
 * - a dedicated-device caller (a device token, only for a device with no user) reads only its own
 *   device: `device(id)` of itself. `user(id)`, `group(id)` and `device(id)` of another device are
 *   FORBIDDEN, the lists (`users`, `devices`, `groups`) are empty, `me` is null, and the fields of
 *   its device that lead elsewhere in the directory (`groups`) are empty.
 * - any other caller (a service token reaching GraphQL) reads nothing.
 * Entities referenced by another subgraph (`_entities`, e.g. a session's helper) are resolved for
 * any caller of the tenant: the referencing subgraph has decided that this caller may see them.
 */
export function mayReadDirectory(caller: Caller): boolean {
  return caller.kind === 'user';
}

/** A user reads any device of the tenant; a device caller only itself. */
export function mayReadDevice(caller: Caller, deviceId: string): boolean {
  return caller.kind === 'user' || (caller.kind === 'device' && caller.deviceId.toLowerCase() === deviceId.toLowerCase());
}

/** Throws FORBIDDEN unless the caller may read the whole directory (single lookups). */
export function assertMayReadDirectory(caller: Caller, what: string): void {
  if (!mayReadDirectory(caller)) throw forbidden(`a device can read only its own device, not ${what}`);
}
