import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLSchema } from 'graphql';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Lexer,
  Source,
  TokenKind,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import type { GqlResponse } from './support/client';
import { gql, newTenant, tokenFor } from './support/client';
import { subscribe, wsClient } from './support/ws';

/**
 * Tenant isolation and RBAC, generated from the API schema: every Query, Mutation and
 * Subscription field that the gateway serves is called
 * - as tenant B's administrator and as a user of B with no role, with the ids (and the session
 *   security code) of tenant A: every call is refused or returns nothing of A, and behaves
 *   exactly as the same call with unknown ids (no existence oracle);
 * - as a user of A with no role: every mutation is refused;
 * and A's data, read through A's administrator before and after, has not changed.
 * A's data is made through the schema's mutations; a set-up step that fails, or whose mutation
 * is missing from the schema, fails the suite (the checks would otherwise run against less of A
 * than they say). Every other field the gateway serves is called (the suite grows with the schema).
 */

type Tenant = ReturnType<typeof newTenant>;
interface Actor {
  name: string;
  token: string;
  domain: string;
  /**
   * A user of A itself: only mutations (a user may read parts of its own tenant), and never with
   * A's security code (any user of the tenant may be the one a helper gives it to).
   */
  mutationsOnly?: boolean;
}
interface Call {
  kind: 'query' | 'mutation' | 'subscription';
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** Whether any argument carries one of A's ids (or A's security code). */
  usesA: boolean;
}
interface Outcome {
  codes: string[];
  data: unknown;
  messages: string[];
  /** Where internal errors happened (for the report). */
  crashedAt?: string[];
}

const MARK = `zq${Date.now().toString(36)}`;
let schema: GraphQLSchema;
let a: Tenant;
let b: Tenant;
const aIds = new Map<string, string[]>(); // by type name
let aSecurityCode: string | undefined;
let aHelperToken: string | undefined;
const actors: Actor[] = [];
const setupNotes: string[] = [];

// ------------------------------------------------------------------ helpers

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function addId(type: string, id: string | undefined | null) {
  if (!id) return;
  const list = aIds.get(type) ?? [];
  if (!list.includes(id)) list.push(id);
  aIds.set(type, list);
}

function hasField(kind: 'Query' | 'Mutation' | 'Subscription', name: string): boolean {
  const t = kind === 'Query' ? schema.getQueryType() : kind === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return !!t?.getFields()[name];
}

/** A set-up step: a failure (or a mutation missing from the schema) is noted, and the suite fails on it. */
async function step<T>(field: string, query: string, variables: Record<string, unknown>, token: string): Promise<T | undefined> {
  if (!hasField('Mutation', field)) {
    setupNotes.push(`${field}: not in the gateway's schema`);
    return undefined;
  }
  const r = await gql(query, variables, token);
  if (r.body.errors?.length || !r.body.data) {
    setupNotes.push(`${field}: ${JSON.stringify(r.body.errors)}`);
    return undefined;
  }
  return r.body.data as T;
}

function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

const TYPE_BY_NAME: [RegExp, string][] = [
  [/^(user|helper|provider|recipient|primaryUser|sharer|member|actor|from|updatedBy)$/i, 'User'],
  [/^device$/i, 'Device'],
  [/^(group|adminGroup|scopeGroup)$/i, 'Group'],
  [/^role$/i, 'Role'],
  [/^(roleAssignment|assignment)$/i, 'RoleAssignment'],
  [/^session$/i, 'RemoteHelpSession'],
  [/^tenant$/i, 'Tenant'],
];

function typeForStem(stem: string): string | undefined {
  return TYPE_BY_NAME.find(([re]) => re.test(stem))?.[1] ?? (schema.getType(stem[0].toUpperCase() + stem.slice(1)) ? stem[0].toUpperCase() + stem.slice(1) : undefined);
}

/** Which entity an ID argument or input field names: `userId` -> User, `id` of `updateRole` -> Role. */
function idTarget(name: string, owner: string): string | undefined {
  const m = /^(.*?)Ids?$/.exec(name);
  if (m && m[1]) return typeForStem(m[1]);
  if (name === 'id') {
    const stem = owner.replace(/Input$/, '').replace(/^(upsert|update|delete|create|get|terminate|end)/i, '');
    return typeForStem(stem[0].toLowerCase() + stem.slice(1));
  }
  return undefined;
}

let counter = 0;
/** A value for an input of this type: ids of A (or new random ids for the control call), other values plausible. */
let withCode = true;
/** Generated user names are made in the calling actor's own domain (a domain it may use). */
let actorDomain = 'gen.example.com';
function valueFor(type: GraphQLInputType, name: string, owner: string, useA: boolean, used: { a: boolean }): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType as GraphQLInputType, name, owner, useA, used);
  if (isListType(type)) {
    const inner = type.ofType as GraphQLInputType;
    const target = getNamedType(inner).name === 'ID' ? idTarget(name, owner) : undefined;
    if (target && useA && aIds.get(target)?.length) {
      used.a = true;
      return aIds.get(target)!.slice(0, 3);
    }
    return [valueFor(inner, name, owner, useA, used)];
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    const values = named.getValues().map((v) => v.name);
    return values.includes('FULL_CONTROL') ? 'FULL_CONTROL' : values[0];
  }
  if (isInputObjectType(named)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(named.getFields())) out[f.name] = valueFor(f.type, f.name, named.name, useA, used);
    return out;
  }
  switch (named.name) {
    case 'ID': {
      const target = idTarget(name, owner);
      const ids = target ? aIds.get(target) : undefined;
      if (useA && ids?.length) {
        used.a = true;
        return ids[0];
      }
      return randomUUID();
    }
    case 'String':
      if (name === 'securityCode') {
        if (useA && withCode && aSecurityCode) {
          used.a = true;
          return aSecurityCode;
        }
        return 'QZ7K4M2P';
      }
      if (/principalName|upn|email/i.test(name)) return `gen${++counter}@${actorDomain}`;
      if (/version/i.test(name)) return '10.0.22631';
      if (/url/i.test(name)) return `https://gen.example.com/${++counter}.png`;
      if (/^(after|before|cursor)$/i.test(name)) return undefined;
      return `gen-${++counter}`;
    case 'Int':
      return /first|last|limit/i.test(name) ? 10 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return /^(to|until|expiresAt)$/i.test(name) ? new Date(Date.now() + 86_400_000).toISOString() : new Date(Date.now() - 86_400_000).toISOString();
    default:
      return `gen-${++counter}`;
  }
}

/** Every field of an output type without required arguments, objects `depth` levels down. */
function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type) || isInterfaceType(type)) return '{ __typename }';
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((arg) => isNonNullType(arg.type))) continue;
    const t = getNamedType(f.type);
    if (isLeafType(t)) parts.push(f.name);
    else if (depth > 0) parts.push(`${f.name} ${selectionOf(t, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function callOf(kind: Call['kind'], field: GraphQLField<unknown, unknown>, useA: boolean): Call {
  const used = { a: false };
  const variables: Record<string, unknown> = {};
  const decl: string[] = [];
  const args: string[] = [];
  field.args.forEach((arg: GraphQLArgument) => {
    const v = valueFor(arg.type, arg.name, field.name, useA, used);
    if (v === undefined) return;
    variables[arg.name] = v;
    decl.push(`$${arg.name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${arg.name}`);
  });
  const head = `${kind}${decl.length ? ` (${decl.join(', ')})` : ''}`;
  const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  let query = '';
  for (let depth = 3; depth >= 0; depth--) {
    query = `${head} { ${call} ${selectionOf(getNamedType(field.type), depth)} }`;
    if (tokens(query) < 900) break;
  }
  return { kind, field: field.name, query, variables, usesA: used.a };
}

function rootFields(kind: Call['kind']) {
  const t = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return t ? Object.values(t.getFields()) : [];
}

async function run(call: Call, token: string): Promise<Outcome> {
  if (call.kind === 'subscription') return runSubscription(call, token);
  const r: GqlResponse = await gql(call.query, call.variables, token);
  return {
    codes: [...new Set((r.body.errors ?? []).map((e) => e.extensions?.code ?? '?'))].sort(),
    data: r.body.data?.[call.field] ?? null,
    messages: (r.body.errors ?? []).map((e) => e.message),
    crashedAt: (r.body.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR').map((e) => JSON.stringify((e as { path?: unknown }).path)),
  };
}

async function runSubscription(call: Call, token: string): Promise<Outcome> {
  const client = wsClient(token);
  const sub = subscribe(client, call.query, call.variables);
  try {
    const first = await Promise.race([
      sub.next(3_000).then(
        (r) => ({ payload: r }),
        () => ({ timeout: true }),
      ),
      sub.ended.then((e) => ({ ended: e })),
    ]);
    if ('payload' in first) {
      const errors = (first.payload.errors ?? []) as unknown as { message: string; extensions?: { code?: string } }[];
      const data = (first.payload.data as Record<string, unknown> | null | undefined)?.[call.field] ?? null;
      return { codes: [...new Set(errors.map((e) => e.extensions?.code ?? '?'))].sort(), data, messages: errors.map((e) => e.message) };
    }
    if ('ended' in first) {
      const errors = (Array.isArray(first.ended) ? first.ended : [first.ended]) as { message?: string; reason?: string; code?: number; extensions?: { code?: string } }[];
      return { codes: errors.map((e) => e.extensions?.code ?? (typeof e.code === 'number' ? `WS_${e.code}` : '?')).sort(), data: null, messages: errors.map((e) => e.message ?? e.reason ?? String(e)) };
    }
    return { codes: [], data: null, messages: [] }; // subscribed, nothing pushed
  } finally {
    await sub.close();
    await client.dispose();
  }
}

/** Outcomes compared between A's ids and unknown ids: codes, null-ness, messages with ids masked. */
function comparable(o: Outcome) {
  return { codes: o.codes, dataIsNull: o.data === null, messages: o.messages.map((m) => m.replace(UUID, '<id>').replace(/gen-?\d+(@gen\.example\.com)?/g, '<gen>')).sort() };
}

// ------------------------------------------------------------------ A's data and snapshots

/** Errors met while reading a snapshot (a read that fails compares nothing). */
const snapshotErrors: string[] = [];

async function snapshotOf(t: Tenant): Promise<Record<string, unknown>> {
  const snap: Record<string, unknown> = {};
  const note = (what: string, r: GqlResponse) => {
    if (r.body.errors?.length) snapshotErrors.push(`${what}: ${JSON.stringify(r.body.errors.map((e) => [e.extensions?.code, e.message, (e as { path?: unknown }).path]))}`);
  };
  // Reads that change with time or with other tenants' activity, not with A's data.
  const volatile = new Set(['auditEvents', 'remoteHelpMonitor', 'remoteHelpSessions', 'activeSessions']);
  for (const f of rootFields('query')) {
    if (volatile.has(f.name)) continue;
    if (f.args.some((arg) => isNonNullType(arg.type))) {
      // Per-id reads of each of A's entities of that type.
      if (f.args.length !== 1 || f.args[0].name !== 'id') continue;
      const target = idTarget('id', f.name) ?? getNamedType(f.type).name;
      for (const id of aIds.get(target) ?? []) {
        const r = await gql(`query ($id: ID!) { ${f.name}(id: $id) ${selectionOf(getNamedType(f.type), 2)} }`, { id }, t.adminToken);
        if (t === a) note(`${f.name}(${id})`, r);
        snap[`${f.name}(${id})`] = r.body.data?.[f.name] ?? r.body.errors?.map((e) => e.extensions?.code);
      }
      continue;
    }
    const r = await gql(`{ ${f.name} ${selectionOf(getNamedType(f.type), 2)} }`, {}, t.adminToken);
    if (t === a) note(f.name, r);
    snap[f.name] = r.body.data?.[f.name] ?? r.body.errors?.map((e) => e.extensions?.code);
  }
  if (aHelperToken && hasField('Query', 'mySessions')) {
    const r = await gql(`{ mySessions ${selectionOf(schema.getType('RemoteHelpSession')!, 1)} }`, {}, aHelperToken);
    snap['helper.mySessions'] = r.body.data?.mySessions ?? null;
  }
  return normalize(snap) as Record<string, unknown>;
}

/**
 * Arrays sorted, so that two reads of the same data compare equal whatever order a service
 * returns; and what time changes by itself left out: a session waiting for its sharer expires
 * (in seconds in this test run), which ends its code and changes live counts. (A session that
 * someone else joined, declined or ended still compares different; and calls with A's session
 * code are checked one by one above.)
 */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    delete o.activeSessionCount;
    if (o.__typename === 'RemoteHelpSession') {
      delete o.securityCode;
      if (o.state === 'WAITING_FOR_SHARER' || (o.state === 'EXPIRED' && o.endReason === 'EXPIRED')) {
        o.state = 'WAITING_FOR_SHARER or EXPIRED';
        delete o.endReason;
        delete o.endedAt;
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

function idsIn(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => idsIn(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'id' || k.endsWith('Id')) && typeof x === 'string') out.add(x);
      else idsIn(x, out);
    }
  return out;
}

async function makeTenantA() {
  a = newTenant();
  addId('Tenant', a.tenantId);
  addId('User', a.adminUserId);
  const token = a.adminToken;
  await step('updateRemoteHelpSettings', 'mutation { updateRemoteHelpSettings(input: { remoteHelpEnabled: true }) { remoteHelpEnabled } }', {}, token);
  const user = async (name: string) => {
    const upn = `${name}-${MARK}@${a.domain}`;
    const d = await step<{ upsertUser: { id: string } }>(
      'upsertUser',
      'mutation ($i: UpsertUserInput!) { upsertUser(input: $i) { id } }',
      { i: { userPrincipalName: upn, displayName: `${name} ${MARK}`, jobTitle: `Engineer ${MARK}` } },
      token,
    );
    if (d) {
      addId('User', d.upsertUser.id);
      await step(
        'assignLicense',
        'mutation ($i: AssignLicenseInput!) { assignLicense(input: $i) { id } }',
        { i: { userId: d.upsertUser.id, kind: 'REMOTE_HELP_ADDON', activeFrom: new Date(Date.now() - 60_000).toISOString() } },
        token,
      );
    }
    return d ? { id: d.upsertUser.id, upn } : undefined;
  };
  const helper = await user('helper');
  const sharer = await user('sharer');
  const norole = await user('norole');
  const device = await step<{ upsertDevice: { id: string } }>(
    'upsertDevice',
    'mutation ($i: UpsertDeviceInput!) { upsertDevice(input: $i) { id } }',
    { i: { displayName: `PC-${MARK}`, platform: 'WINDOWS', osVersion: '10.0.22631', manufacturer: 'Contoso', enrolled: true, entraRegistered: true, compliance: 'COMPLIANT', primaryUserId: sharer?.id ?? null } },
    token,
  );
  addId('Device', device?.upsertDevice.id);
  const group = await step<{ createGroup: { id: string } }>('createGroup', 'mutation ($i: CreateGroupInput!) { createGroup(input: $i) { id } }', { i: { displayName: `helpers ${MARK}`, memberKind: 'USERS' } }, token);
  addId('Group', group?.createGroup.id);
  if (group && helper) await step('addGroupMembers', 'mutation ($g: ID!, $u: [ID!]) { addGroupMembers(groupId: $g, userIds: $u) { id } }', { g: group.createGroup.id, u: [helper.id] }, token);
  const devices = await step<{ createGroup: { id: string } }>('createGroup', 'mutation ($i: CreateGroupInput!) { createGroup(input: $i) { id } }', { i: { displayName: `devices ${MARK}`, memberKind: 'DEVICES' } }, token);
  addId('Group', devices?.createGroup.id);
  if (devices && device) await step('addGroupMembers', 'mutation ($g: ID!, $d: [ID!]) { addGroupMembers(groupId: $g, deviceIds: $d) { id } }', { g: devices.createGroup.id, d: [device.upsertDevice.id] }, token);
  const role = await step<{ createRole: { id: string } }>(
    'createRole',
    'mutation ($i: CreateRoleInput!) { createRole(input: $i) { id } }',
    { i: { displayName: `role ${MARK}`, description: `custom ${MARK}`, permissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'OFFER_REMOTE_ASSISTANCE'], adminPermissions: [] } },
    token,
  );
  addId('Role', role?.createRole.id);
  if (role && group) {
    const assignment = await step<{ createRoleAssignment: { id: string } }>(
      'createRoleAssignment',
      'mutation ($i: CreateRoleAssignmentInput!) { createRoleAssignment(input: $i) { id } }',
      { i: { roleId: role.createRole.id, displayName: `assignment ${MARK}`, adminGroupIds: [group.createGroup.id], scopeGroupIds: [], scopeAllUsers: true, scopeAllDevices: true } },
      token,
    );
    addId('RoleAssignment', assignment?.createRoleAssignment.id);
  }
  if (helper) aHelperToken = tokenFor(a.tenantId, { user: helper.upn });
  if (aHelperToken && device) {
    const r = await step<{ requestSession: { session: { id: string; securityCode: string | null } | null; decision: { allowed: boolean; reasons: string[] } } }>(
      'requestSession',
      'mutation ($i: RequestSessionInput!) { requestSession(input: $i) { session { id securityCode } decision { allowed reasons } } }',
      { i: { deviceId: device.upsertDevice.id, mode: 'FULL_CONTROL', reason: `ticket ${MARK}` } },
      aHelperToken,
    );
    if (r?.requestSession.session) {
      addId('RemoteHelpSession', r.requestSession.session.id);
      aSecurityCode = r.requestSession.session.securityCode ?? undefined;
    } else if (r) setupNotes.push(`requestSession: not allowed ${JSON.stringify(r.requestSession.decision)}`);
  }
  // Everything else of A that its administrator can see (built-in roles, assignments, ...).
  for (const f of ['roles', 'roleAssignments', 'groups', 'users', 'devices']) {
    if (!hasField('Query', f)) continue;
    const r = await gql(`{ ${f} { id } }`, {}, token);
    if (r.body.errors?.length) setupNotes.push(`${f}: ${JSON.stringify(r.body.errors)}`);
    const type = getNamedType(schema.getQueryType()!.getFields()[f].type).name;
    for (const x of (r.body.data?.[f] as { id: string }[] | undefined) ?? []) addId(type, x.id);
  }
  return { norole };
}

// ------------------------------------------------------------------ the suite

const results: { actor: string; call: Call; outcome: Outcome; control?: Outcome }[] = [];
let before: Record<string, unknown>;
let fingerprints: { ids: string[]; words: string[] };

beforeAll(async () => {
  b = newTenant();
  schema = buildClientSchema((await gql(getIntrospectionQuery(), {}, b.adminToken)).body.data as never);
  const { norole } = await makeTenantA();
  actors.push({ name: "B's administrator", token: b.adminToken, domain: b.domain });
  if (hasField('Mutation', 'upsertUser')) {
    const upn = `norole@${b.domain}`;
    const r = await gql('mutation ($i: UpsertUserInput!) { upsertUser(input: $i) { id } }', { i: { userPrincipalName: upn, displayName: 'No Role' } }, b.adminToken);
    if (r.body.data) actors.push({ name: 'a user of B with no role', token: tokenFor(b.tenantId, { user: upn }), domain: b.domain });
    else setupNotes.push(`upsertUser (B's user with no role): ${JSON.stringify(r.body.errors)}`);
  } else setupNotes.push("upsertUser: not in the gateway's schema (B's user with no role)");
  if (norole) actors.push({ name: 'a user of A with no role', token: tokenFor(a.tenantId, { user: norole.upn }), domain: a.domain, mutationsOnly: true });

  before = await snapshotOf(a);
  // What counts as "something of A": its ids (those B cannot see as its own) and its unique words.
  const bOwn = idsIn(await snapshotOf(b));
  const ids = new Set([...[...aIds.values()].flat(), ...idsIn(before)]);
  fingerprints = { ids: [...ids].filter((id) => !bOwn.has(id)), words: [a.domain, MARK, ...(aSecurityCode ? [aSecurityCode] : [])] };
  process.stderr.write(`A: ${[...aIds].map(([t, l]) => `${t} ${l.length}`).join(', ')}${aSecurityCode ? ', a security code' : ''}\n${setupNotes.map((n) => `  set-up: ${n}`).join('\n')}\n`);

  // Every (actor, field); the calls that take a session's security code first, while A's
  // session still waits for its sharer (sessions expire within seconds in this test run).
  const tasks = actors.flatMap((actor) =>
    (['query', 'mutation', 'subscription'] as const).filter((kind) => !actor.mutationsOnly || kind === 'mutation').flatMap((kind) => rootFields(kind).map((field) => ({ actor, kind, field }))),
  );
  const takesCode = (t: (typeof tasks)[number]) => t.field.args.some((arg) => arg.name === 'securityCode');
  for (const { actor, kind, field } of [...tasks.filter(takesCode), ...tasks.filter((t) => !takesCode(t))]) {
    withCode = !actor.mutationsOnly;
    actorDomain = actor.domain;
    const call = callOf(kind, field, true);
    const outcome = await run(call, actor.token);
    const control = call.usesA && !actor.mutationsOnly ? await run(callOf(kind, field, false), actor.token) : undefined;
    results.push({ actor: actor.name, call, outcome, control });
  }
  const lines = results.map((r) => `  ${r.actor.padEnd(26)} ${`${r.call.kind} ${r.call.field}`.padEnd(40)} ${r.outcome.codes.join(',') || (r.outcome.data === null ? 'null' : 'data')}`);
  process.stderr.write(`generated calls (${results.length}):\n${lines.join('\n')}\n`);
}, 300_000);

/** What the checks below need of A and of the actors, and is missing (empty when the set-up is complete). */
function incompleteSetUp(): string[] {
  const missing = [...setupNotes];
  const need: [string, number][] = [
    ['Tenant', 1],
    ['User', 4],
    ['Device', 1],
    ['Group', 2],
    ['Role', 1],
    ['RoleAssignment', 1],
    ['RemoteHelpSession', 1],
  ];
  for (const [type, n] of need) if ((aIds.get(type)?.length ?? 0) < n) missing.push(`A has ${aIds.get(type)?.length ?? 0} ${type} id(s), the checks need at least ${n}`);
  if (!aHelperToken) missing.push('no helper of A (its mySessions is not in the snapshot)');
  if (!aSecurityCode) missing.push("no security code of A's waiting session");
  return missing;
}

describe('generated: every field, called across tenants and without a role', () => {
  it('made all of tenant A and every actor the checks speak of (an incomplete set-up fails the suite)', () => {
    expect(incompleteSetUp()).toEqual([]);
    expect(actors.map((x) => x.name)).toEqual(["B's administrator", 'a user of B with no role', 'a user of A with no role']);
  });

  it('calls every Query, Mutation and Subscription field the gateway serves, for each actor', () => {
    const served = (['query', 'mutation', 'subscription'] as const).flatMap((k) => rootFields(k).map((f) => `${k} ${f.name}`));
    expect(served.length).toBeGreaterThan(0);
    for (const actor of actors) {
      const called = results.filter((r) => r.actor === actor.name).map((r) => `${r.call.kind} ${r.call.field}`);
      expect(called.sort()).toEqual(served.filter((s) => !actor.mutationsOnly || s.startsWith('mutation ')).sort());
    }
    expect(actors).toHaveLength(3);
  });

  it('no call by a user of B returns anything of A, in data or in messages', () => {
    const leaks: string[] = [];
    for (const r of results.filter((x) => !x.actor.endsWith('of A with no role'))) {
      const data = JSON.stringify(r.outcome.data);
      const messages = r.outcome.messages.join('\n');
      for (const id of fingerprints.ids) if (data.includes(id)) leaks.push(`${r.actor}: ${r.call.kind} ${r.call.field} returns A's id ${id}: ${data.slice(0, 300)}`);
      for (const w of fingerprints.words) {
        if (data.includes(w)) leaks.push(`${r.actor}: ${r.call.kind} ${r.call.field} returns "${w}" of A: ${data.slice(0, 300)}`);
        if (messages.includes(w)) leaks.push(`${r.actor}: ${r.call.kind} ${r.call.field} names "${w}" of A in: ${messages}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('no generated call crashes, nor any read of A (an internal error would hide what the call returns)', () => {
    const crashes = results.filter((r) => r.outcome.codes.includes('INTERNAL_SERVER_ERROR') || r.control?.codes.includes('INTERNAL_SERVER_ERROR'));
    expect(
      crashes.map((r) => `${r.actor}: ${r.call.kind} ${r.call.field}: internal error at ${[...new Set([...(r.outcome.crashedAt ?? []), ...(r.control?.crashedAt ?? [])])].join(', ')} (the gateway's log has the cause)`),
    ).toEqual([]);
    // And A's administrator reads all of A's data without an error (else the comparison compares nothing).
    expect([...new Set(snapshotErrors)]).toEqual([]);
  });

  it("A's ids behave exactly like unknown ids (no error, message or answer tells that they exist)", () => {
    const differences = results
      .filter((r) => r.control)
      .filter((r) => JSON.stringify(comparable(r.outcome)) !== JSON.stringify(comparable(r.control!)))
      .map((r) => `${r.actor}: ${r.call.kind} ${r.call.field}: with A's ids ${JSON.stringify(comparable(r.outcome))}, with unknown ids ${JSON.stringify(comparable(r.control!))}`);
    expect(differences).toEqual([]);
  });

  it('a user of A with no role has every mutation refused', () => {
    const accepted = results
      .filter((r) => r.actor.endsWith('of A with no role'))
      .filter((r) => {
        if (r.outcome.codes.length > 0 && r.outcome.data === null) return false;
        // A session request answered with a denial (no session) is a refusal too.
        const payload = r.outcome.data as { session?: unknown; decision?: { allowed?: boolean } } | null;
        return !(payload && payload.session === null && payload.decision?.allowed === false);
      })
      .map((r) => `${r.call.field}: ${JSON.stringify(r.outcome)}`);
    expect(accepted).toEqual([]);
  });

  it("nothing in A changed (A's data read by its administrator before and after)", async () => {
    const after = await snapshotOf(a);
    expect(after).toEqual(before);
  });
});
