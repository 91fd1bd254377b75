import { createEvent, EnvelopeError, parseEnvelope, validateEnvelope, type EventEnvelope } from './event-envelope';

const UUID = '0b6f1c52-3a5e-4c1f-9a51-6d2f1f0e7a10';

function valid(): EventEnvelope<{ name: string }> {
  return {
    id: UUID,
    type: 'tenant.created',
    version: 1,
    source: 'tenant-service',
    tenantId: 't-1',
    subject: 't-1',
    time: '2026-03-01T10:00:00.000Z',
    data: { name: 'Acme' },
  };
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EnvelopeError);
    expect((err as EnvelopeError).name).toBe('EnvelopeError');
    expect((err as Error).message).toBe(`Invalid event envelope: ${(err as EnvelopeError).reason}`);
    return (err as EnvelopeError).reason;
  }
  throw new Error('expected an EnvelopeError');
}

describe('createEvent', () => {
  it('fills id, version, time and keeps the rest', () => {
    const before = Date.now();
    const e = createEvent({ type: 'tenant.created', source: 'tenant-service', tenantId: 't-1', subject: 't-1', data: { name: 'Acme' } });
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e).toMatchObject({ type: 'tenant.created', version: 1, source: 'tenant-service', tenantId: 't-1', subject: 't-1', data: { name: 'Acme' } });
    expect(Date.parse(e.time)).toBeGreaterThanOrEqual(before - 1);
    expect(e.time).toMatch(/Z$/);
  });

  it('uses the given version and time, and a fresh id each time', () => {
    const time = new Date('2026-01-02T03:04:05.678Z');
    const a = createEvent({ type: 'session.ended', version: 3, source: 's', tenantId: 't', subject: 'x', data: null, time });
    const b = createEvent({ type: 'session.ended', version: 3, source: 's', tenantId: 't', subject: 'x', data: null, time });
    expect(a.version).toBe(3);
    expect(a.time).toBe('2026-01-02T03:04:05.678Z');
    expect(a.id).not.toBe(b.id);
  });

  it('round-trips through JSON and parseEnvelope', () => {
    const e = createEvent({ type: 'rbac.role-assigned', source: 'rbac-service', tenantId: 't', subject: 'u-1', data: { roles: ['agent'] } });
    expect(parseEnvelope(Buffer.from(JSON.stringify(e)))).toEqual(e);
  });

  it.each([
    [{ type: '' }, 'field "type" must be a non-empty string, got empty string'],
    [{ type: 'created' }, 'field "type" must look like "aggregate.event"'],
    [{ source: '  ' }, 'field "source" must be a non-empty string'],
    [{ tenantId: '' }, 'field "tenantId" must be a non-empty string'],
    [{ subject: '' }, 'field "subject" must be a non-empty string'],
    [{ version: 0 }, 'field "version" must be an integer >= 1, got number 0'],
    [{ version: 1.5 }, 'field "version" must be an integer >= 1, got number 1.5'],
    [{ time: new Date('nope') }, '"time" must be a valid Date'],
    [{ data: undefined }, 'missing field "data"'],
  ])('rejects bad input %j', (override, reason) => {
    const base = { type: 'tenant.created', source: 's', tenantId: 't', subject: 'x', data: {} };
    expect(reasonOf(() => createEvent({ ...base, ...override } as never))).toContain(reason);
  });
});

describe('parseEnvelope', () => {
  it('accepts a Buffer or a string and returns only the known fields', () => {
    const raw = JSON.stringify({ ...valid(), extra: 'ignored' });
    expect(parseEnvelope(raw)).toEqual(valid());
    expect(parseEnvelope(Buffer.from(raw, 'utf8'))).toEqual(valid());
  });

  it('accepts null data and time zone offsets', () => {
    expect(parseEnvelope(JSON.stringify({ ...valid(), data: null, time: '2026-03-01T11:00:00+01:00' })).data).toBeNull();
  });

  it.each<[string, Buffer | string | null, string]>([
    ['null value', null, 'message has no value (null)'],
    ['empty value', '', 'message value is empty'],
    ['blank value', Buffer.from('   '), 'message value is empty'],
    ['bad UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'message value is not valid UTF-8'],
    ['bad JSON', '{"id": ', 'message value is not valid JSON ('],
    ['plain text', 'hello', 'message value is not valid JSON ('],
    ['JSON array', '[1,2]', 'envelope must be a JSON object, got array'],
    ['JSON null', 'null', 'envelope must be a JSON object, got null'],
    ['JSON number', '42', 'envelope must be a JSON object, got number 42'],
    ['JSON string', '"x"', 'envelope must be a JSON object, got string "x"'],
  ])('rejects %s', (_label, raw, reason) => {
    expect(reasonOf(() => parseEnvelope(raw))).toContain(reason);
  });

  const fields = ['id', 'type', 'version', 'source', 'tenantId', 'subject', 'time', 'data'] as const;
  it.each(fields)('rejects a missing "%s" and names it', (field) => {
    const o: Record<string, unknown> = { ...valid() };
    delete o[field];
    let error: EnvelopeError | undefined;
    try {
      parseEnvelope(JSON.stringify(o));
    } catch (err) {
      error = err as EnvelopeError;
    }
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error!.reason).toBe(`missing field "${field}"`);
    expect(error!.field).toBe(field);
  });

  it.each<[string, unknown, string]>([
    ['id', 42, 'field "id" must be a non-empty string, got number 42'],
    ['id', 'not-a-uuid', 'field "id" must be a UUID, got string "not-a-uuid"'],
    ['type', ['tenant.created'], 'field "type" must be a non-empty string, got array'],
    ['type', 'tenant created', 'field "type" must look like "aggregate.event"'],
    ['version', '1', 'field "version" must be an integer >= 1, got string "1"'],
    ['version', -2, 'field "version" must be an integer >= 1, got number -2'],
    ['version', null, 'field "version" must be an integer >= 1, got null'],
    ['source', true, 'field "source" must be a non-empty string, got boolean'],
    ['tenantId', {}, 'field "tenantId" must be a non-empty string, got object'],
    ['subject', '', 'field "subject" must be a non-empty string, got empty string'],
    ['subject', 'x'.repeat(501), 'field "subject" is longer than 500 characters'],
    ['time', 1700000000000, 'field "time" must be a non-empty string, got number'],
    ['time', 'yesterday', 'field "time" must be an ISO 8601 timestamp with a time zone, got string "yesterday"'],
    ['time', '2026-03-01T10:00:00', 'field "time" must be an ISO 8601 timestamp with a time zone'],
    ['time', '2026-13-45T10:00:00Z', 'field "time" must be an ISO 8601 timestamp with a time zone'],
  ])('rejects a mistyped "%s" (%j)', (field, value, reason) => {
    const raw = JSON.stringify({ ...valid(), [field]: value });
    let error: EnvelopeError | undefined;
    try {
      parseEnvelope(raw);
    } catch (err) {
      error = err as EnvelopeError;
    }
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error!.reason).toContain(reason);
    expect(error!.field).toBe(field);
  });

  it('validateEnvelope returns a clean copy', () => {
    const input = { ...valid(), junk: 1 };
    const out = validateEnvelope(input);
    expect(out).not.toBe(input);
    expect(out).not.toHaveProperty('junk');
  });
});
