import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TOPICS } from '../topics';
import { asyncApiDocument, CATALOGUE_DIR, catalogueFiles, eventJsonSchema, schemaFileName, INTERNAL_TOPICS } from './catalogue-document';
import { buildEvent, EVENT_CATALOGUE, EVENT_TYPES } from './event-catalogue';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const DIR = path.join(ROOT, CATALOGUE_DIR);

describe('the published event catalogue (docs/events)', () => {
  // Like the supergraph: the checked-in documents are what the event schemas give now.
  it('is what the event schemas give (after a change: `npm run events:catalogue`)', () => {
    const files = catalogueFiles();
    for (const [name, content] of files) expect({ name, content: fs.readFileSync(path.join(DIR, name), 'utf8') }).toEqual({ name, content });
    expect(fs.readdirSync(path.join(DIR, 'schemas')).sort()).toEqual(
      [...files.keys()]
        .filter((f) => f.startsWith('schemas/'))
        .map((f) => f.slice('schemas/'.length))
        .sort(),
    );
  });

  it('is a valid AsyncAPI 3 document (@asyncapi/parser), with every topic, message key and header', async () => {
    const { document, diagnostics } = await new Parser().parse(asyncApiDocument());
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');
    const addresses = document!
      .channels()
      .all()
      .map((c) => c.address());
    // Every topic but those between the gateways' replicas (their rate-limit usage).
    expect(addresses.sort()).toEqual(
      Object.values(TOPICS)
        .filter((t) => !INTERNAL_TOPICS.has(t))
        .sort(),
    );
    expect(INTERNAL_TOPICS).toEqual(new Set([TOPICS.rateUsage]));
    const messages = document!.components().messages().all();
    expect(messages.map((m) => m.id()).sort()).toEqual([...EVENT_TYPES, 'dead-letter'].sort());
    const created = document!.components().messages().get('tenant.created')!;
    expect(created.headers()!.required()).toEqual(['event-type', 'event-id']);
    expect(created.bindings().get('kafka')!.value()).toMatchObject({ key: { type: 'string', description: 'the tenant id' } });
  });

  it('puts every event on the channel of its topic', () => {
    const doc = parseYaml(asyncApiDocument());
    for (const type of EVENT_TYPES) {
      const channel = Object.values(doc.channels as Record<string, { address: string; messages: Record<string, unknown> }>).find((c) => c.address === EVENT_CATALOGUE[type].topic)!;
      expect(Object.keys(channel.messages)).toContain(type);
    }
  });

  it("has one JSON Schema per event that accepts its producer's events and refuses what the contract refuses", () => {
    const compile = (schema: object) => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      return ajv.compile(schema);
    };
    const T = '11111111-1111-4111-8111-111111111111';
    const validate = compile(eventJsonSchema('group.created'));
    const e = JSON.parse(JSON.stringify(buildEvent('group.created', { source: 'tenant-service', tenantId: T, subject: T, data: { id: T, tenantId: T, displayName: 'Helpers', memberKind: 'USERS' } })));
    expect(validate(e)).toBe(true);
    expect(validate({ ...e, data: { ...e.data, memberKind: 'PEOPLE' } })).toBe(false);
    expect(validate({ ...e, type: 'group.deleted' })).toBe(false);
    expect(validate({ ...e, version: 2 })).toBe(false);
    // a text that must say something (schema-fields' text()) is refused blank by the JSON Schema too
    const audit = JSON.parse(
      JSON.stringify(buildEvent('audit.recorded', { source: 'rbac-service', tenantId: T, subject: T, data: { actorId: null, category: 'Role', activity: 'Create role', targetId: null, result: 'Success' } })),
    );
    const validateAudit = compile(eventJsonSchema('audit.recorded'));
    expect(validateAudit(audit)).toBe(true);
    expect(validateAudit({ ...audit, data: { ...audit.data, category: ' \t' } })).toBe(false);
    expect(validateAudit({ ...audit, source: ' ' })).toBe(false);
    expect(validateAudit({ ...audit, subject: 'x'.repeat(501) })).toBe(false);
    for (const type of EVENT_TYPES) expect(() => compile(eventJsonSchema(type))).not.toThrow();
    expect(schemaFileName('group.created')).toBe('group.created.v1.schema.json');
  });
});
