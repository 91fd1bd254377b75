// The one-statement writes of a session transition, on the real PostgreSQL (127.0.0.1:5432,
// user postgres; a database of its own, dropped at the end), with the service's migrations:
// writeOutboxRows (both events of a transition and the relay's wake-up in one round trip) and
// TenantSettingsStore.applyAndRead (the newer setting applied and read back in one statement).
import { auditEvent, createEvent, OUTBOX_CHANNEL, TOPICS, writeOutboxRows } from '@remote-help/events';
import { dropDatabase, openServiceDataSource } from '@remote-help/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './data-source';
import { TenantSettingsStore } from './tenant-settings/tenant-settings.store';

const URL = `postgres://postgres@127.0.0.1:5432/rh_session_writes_it_${randomBytes(4).toString('hex')}`;
let ds: DataSource;

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 });
});

afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(URL);
});

describe('writeOutboxRows', () => {
  const tenantId = randomUUID();
  const subject = randomUUID();
  const lifecycle = () => createEvent({ type: 'session.started', source: 'session-service', tenantId, subject, data: { id: subject } });
  const audit = () => auditEvent({ source: 'session-service', tenantId, actorId: null, actorKind: 'system', category: 'RemoteHelp', activity: 'Start remote help session', targetId: subject, result: 'Success', details: 'state=ACTIVE' });

  it('writes the rows in the order given, with their topics and keys, and wakes the relay once at commit', async () => {
    const listener = new Client({ connectionString: URL });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      const [a, b] = [lifecycle(), audit()];
      await ds.transaction(async (m) => {
        await writeOutboxRows(m, [
          { topic: TOPICS.session, event: a },
          { topic: TOPICS.audit, event: b },
        ]);
        await new Promise((r) => setTimeout(r, 200));
        expect(notices).toEqual([]); // not before the commit
      });
      const rows = await ds.query(`SELECT event_id, topic, key, payload FROM outbox WHERE event_id IN ($1, $2) ORDER BY id`, [a.id, b.id]);
      expect(rows.map((r: Record<string, unknown>) => [r.event_id, r.topic, r.key])).toEqual([
        [a.id, TOPICS.session, subject],
        [b.id, TOPICS.audit, b.subject],
      ]);
      expect(rows[0].payload).toEqual(JSON.parse(JSON.stringify(a)));
      for (let i = 0; i < 50 && !notices.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(notices).toEqual([OUTBOX_CHANNEL]);
    } finally {
      await listener.end();
    }
  });

  it('writes nothing when the transaction rolls back', async () => {
    const e = lifecycle();
    await expect(
      ds.transaction(async (m) => {
        await writeOutboxRows(m, [{ topic: TOPICS.session, event: e }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await ds.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [e.id])).toEqual([]);
  });

  it('refuses outside a transaction, an unknown topic and an invalid envelope', async () => {
    await expect(writeOutboxRows(ds.manager, [{ topic: TOPICS.session, event: lifecycle() }])).rejects.toThrow(/inside the transaction/);
    await expect(ds.transaction((m) => writeOutboxRows(m, [{ topic: 'no-such-topic', event: lifecycle() }]))).rejects.toThrow(/unknown topic/);
    await expect(ds.transaction((m) => writeOutboxRows(m, [{ topic: TOPICS.session, event: { ...lifecycle(), type: 'bad' } }]))).rejects.toThrow(/type/);
  });
});

describe('TenantSettingsStore.applyAndRead', () => {
  const store = new TenantSettingsStore({ register: () => undefined } as never);
  const read = (tenantId: string) => ds.query(`SELECT chat_disabled, version FROM tenant_settings WHERE tenant_id = $1`, [tenantId]);

  it('stores a setting it did not know and answers with it', async () => {
    const t = randomUUID();
    expect(await ds.transaction((m) => store.applyAndRead(m, t, { tenantId: t, chatDisabled: false, version: 2 }))).toBe(true);
    expect(await read(t)).toEqual([{ chat_disabled: false, version: 2 }]);
  });

  it('applies a newer setting, keeps the stored one against an older or equal one, and answers with what is stored', async () => {
    const t = randomUUID();
    await ds.transaction((m) => store.applyAndRead(m, t, { tenantId: t, chatDisabled: false, version: 3 }));
    expect(await ds.transaction((m) => store.applyAndRead(m, t, { tenantId: t, chatDisabled: true, version: 2 }))).toBe(true);
    expect(await ds.transaction((m) => store.applyAndRead(m, t, { tenantId: t, chatDisabled: true, version: 3 }))).toBe(true);
    expect(await read(t)).toEqual([{ chat_disabled: false, version: 3 }]);
    expect(await ds.transaction((m) => store.applyAndRead(m, t, { tenantId: t, chatDisabled: true, version: 4 }))).toBe(false);
    expect(await read(t)).toEqual([{ chat_disabled: true, version: 4 }]);
  });

  it('without a setting: the stored one, and chat disabled for a tenant it does not know (fail closed)', async () => {
    const t = randomUUID();
    expect(await ds.transaction((m) => store.applyAndRead(m, t, null))).toBe(false);
    await ds.transaction((m) => store.apply(m, { tenantId: t, chatDisabled: false, version: 1 }));
    expect(await ds.transaction((m) => store.applyAndRead(m, t, null))).toBe(true);
  });
});
