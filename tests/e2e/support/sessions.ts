import { eventually, gqlOk } from './client';
import { checkAccess, type Tenant } from './fixtures';

/** Drives Remote Help sessions through the public API, as the helper and sharer apps do. */

const SESSION = 'id state mode requestedAt startedAt endedAt securityCode';

async function mutate(query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, any>> {
  return Object.values(await gqlOk<Record<string, Record<string, any>>>(query, variables, token))[0];
}

/**
 * Waits until rbac-service (which learns the directory from events) allows the helper on the
 * device. Until the device has reached it, the decision answers NOT_FOUND: that is waited out too.
 */
export async function accessSettled(t: Tenant, helperId: string, deviceId: string, mode = 'FULL_CONTROL') {
  const notYet = { allowed: false, reasons: ['the device has not reached rbac-service yet'], grantedPermissions: [] as string[] };
  const d = await eventually(
    () =>
      checkAccess(t, helperId, deviceId, mode).catch((e: Error) => {
        if (/"code":"NOT_FOUND"/.test(e.message)) return notYet;
        throw e;
      }),
    (x) => x.allowed,
    20_000,
  );
  if (!d.allowed) throw new Error(`the decision did not settle: ${JSON.stringify(d)}`);
}

/** A session requested by the helper, joined and accepted by the sharer: ACTIVE. */
export async function startSession(helperToken: string, sharerToken: string, input: { deviceId: string; mode?: string; reason?: string }) {
  const { session } = await mutate(
    `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } } }`,
    { input: { deviceId: input.deviceId, mode: input.mode ?? 'FULL_CONTROL', ...(input.reason === undefined ? {} : { reason: input.reason }) } },
    helperToken,
  );
  await mutate(`mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`, { code: session.securityCode }, sharerToken);
  return mutate(`mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`, { id: session.id, accept: true }, sharerToken);
}

export function endSession(sessionId: string, token: string) {
  return mutate(`mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`, { id: sessionId }, token);
}
