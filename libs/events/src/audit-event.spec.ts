import { auditEvent, auditTargetId } from './audit-event';

describe('auditTargetId', () => {
  it.each([
    ['3F2504E0-4F89-11D3-9A0C-0305E82C3301', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['3f2504e0-4F89-11d3-9A0C-0305e82c3301', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ])('keeps a UUID in lower case: %s', (given, kept) => {
    expect(auditTargetId(given)).toBe(kept);
  });

  it.each([['Contoso-Admins'], ['3F2504E0-4F89-11D3-9A0C-0305E82C330'], ['not a uuid'], ['']])('keeps anything else as given: %j', (given) => {
    expect(auditTargetId(given)).toBe(given);
  });

  it('keeps no target as none', () => {
    expect(auditTargetId(null)).toBeNull();
  });
});

describe('auditEvent', () => {
  const base = { source: 'tenant-service', tenantId: '11111111-1111-4111-8111-111111111111', actorId: null, category: 'Directory', activity: 'Update user', result: 'Success' as const };

  it('writes a UUID target in lower case, in the data and as the subject (the message key)', () => {
    const e = auditEvent({ ...base, targetId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' });
    expect(e.data.targetId).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(e.subject).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  it('without a target, the subject is the tenant', () => {
    const e = auditEvent({ ...base, targetId: null });
    expect(e.data.targetId).toBeNull();
    expect(e.subject).toBe(base.tenantId);
    expect(e.data.actorKind).toBe('system');
  });
});
