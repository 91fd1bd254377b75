import { callerSubject, isCaller, parseCaller } from './caller';

describe('caller', () => {
  it('returns a canonical copy of a valid caller, dropping unknown properties', () => {
    expect(JSON.stringify(parseCaller({ upn: 'u@x', extra: 1, userId: 'u', kind: 'user', tenantId: 't' }))).toBe('{"kind":"user","tenantId":"t","userId":"u","upn":"u@x"}');
    expect(parseCaller({ kind: 'device', tenantId: 't', deviceId: 'd' })).toEqual({ kind: 'device', tenantId: 't', deviceId: 'd' });
    expect(parseCaller({ kind: 'service', service: 's' })).toEqual({ kind: 'service', service: 's' });
    expect(parseCaller({ kind: 'service', service: 's', tenantId: 't' })).toEqual({ kind: 'service', service: 's', tenantId: 't' });
  });

  it('rejects malformed callers', () => {
    for (const bad of [
      null,
      [],
      'user',
      { kind: 'user', tenantId: 't', userId: 'u' },
      { kind: 'device', tenantId: 't', deviceId: 5 },
      { kind: 'service', service: '' },
      { kind: 'service', service: 's', tenantId: 3 },
      { kind: 'root' },
    ]) {
      expect(isCaller(bad)).toBe(false);
    }
  });

  it('names the subject by kind', () => {
    expect(callerSubject({ kind: 'user', tenantId: 't', userId: 'u', upn: 'x' })).toBe('user:u');
    expect(callerSubject({ kind: 'device', tenantId: 't', deviceId: 'd' })).toBe('device:d');
    expect(callerSubject({ kind: 'service', service: 'gateway' })).toBe('service:gateway');
  });
});
