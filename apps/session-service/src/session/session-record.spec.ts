import { ComplianceState, EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import type { SessionRecord } from './session-record';
import { actorOf, factsOf, fromRow, isPartyCaller } from './session-record';
import { Actor } from './session-state-machine';
import { dueAction } from './session-timers';
import { checkChatText, normalizeReason } from './session.service';
import { toModel } from './session.mapper';

const T = '11111111-1111-4111-8111-111111111111';
const H = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const S = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const D = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';

const row = {
  id: '99999999-9999-4999-8999-999999999999',
  tenant_id: T,
  helper_id: H,
  sharer_id: S,
  device_id: D,
  mode: 'FULL_CONTROL',
  requested_mode: 'VIEW_ONLY',
  state: 'ENDED',
  elevated: true,
  chat_enabled: true,
  chat_used: true,
  reason: 'INC-42',
  platform: 'WINDOWS',
  device_enrolled: false,
  device_compliance: 'NONCOMPLIANT',
  pending_control_request: null,
  code_hash: null,
  code_expires_at: new Date('2026-01-01T10:10:00Z'),
  due_at: null,
  helper_seen_at: null,
  sharer_seen_at: null,
  requested_at: new Date('2026-01-01T10:00:00Z'),
  started_at: new Date('2026-01-01T10:01:00Z'),
  ended_at: new Date('2026-01-01T10:30:00Z'),
  end_reason: 'HELPER_ENDED',
  version: 9,
};

describe('a session record', () => {
  const s: SessionRecord = fromRow(row);

  it('becomes the lifecycle facts of its events, whole', () => {
    expect(factsOf(s, H)).toEqual({
      sessionId: row.id,
      tenantId: T,
      helperId: H,
      sharerId: S,
      deviceId: D,
      platform: 'WINDOWS',
      deviceEnrolled: false,
      requestedMode: 'VIEW_ONLY',
      mode: 'FULL_CONTROL',
      state: 'ENDED',
      elevated: true,
      chatEnabled: true,
      chatUsed: true,
      reason: 'INC-42',
      requestedAt: '2026-01-01T10:00:00.000Z',
      startedAt: '2026-01-01T10:01:00.000Z',
      endedAt: '2026-01-01T10:30:00.000Z',
      endReason: 'HELPER_ENDED',
      actorId: H,
      version: 9,
    });
  });

  it('is shown without its security code, with the compliance warning of a non-compliant device', () => {
    const m = toModel(s);
    expect(m.securityCode).toBeNull();
    expect(m.complianceWarning).toMatchObject({ deviceId: D, compliance: ComplianceState.NONCOMPLIANT });
    expect(m).toMatchObject({ helper: { id: H }, sharer: { id: S }, device: { id: D }, deviceEnrolled: false, endReason: EndReason.HELPER_ENDED });
    expect(toModel({ ...s, deviceCompliance: ComplianceState.UNKNOWN }).complianceWarning).toBeNull();
  });

  it('knows its parties: helper, sharer, the device of an unattended session; nobody of another tenant', () => {
    expect(actorOf({ kind: 'user', tenantId: T, userId: H }, s)).toBe(Actor.HELPER);
    expect(actorOf({ kind: 'user', tenantId: T, userId: S.toUpperCase() }, s)).toBe(Actor.SHARER);
    expect(actorOf({ kind: 'user', tenantId: T, userId: D }, s)).toBe(Actor.STRANGER);
    expect(actorOf({ kind: 'user', tenantId: '22222222-2222-4222-8222-222222222222', userId: H }, s)).toBe(Actor.STRANGER);
    expect(actorOf({ kind: 'device', tenantId: T, deviceId: D }, s)).toBe(Actor.STRANGER); // attended: the device is no party
    const unattended = { ...s, requestedMode: SessionMode.UNATTENDED, mode: SessionMode.UNATTENDED, sharerId: null, platform: Platform.ANDROID_DEDICATED };
    expect(actorOf({ kind: 'device', tenantId: T, deviceId: D }, unattended)).toBe(Actor.DEVICE);
    expect(isPartyCaller({ kind: 'device', tenantId: T, deviceId: D }, unattended)).toBe(true);
    expect(isPartyCaller({ kind: 'service', tenantId: T }, s)).toBe(false);
  });
});

describe('timers', () => {
  it('know what a due session needs', () => {
    expect(dueAction({ state: SessionState.WAITING_FOR_SHARER, requestedMode: SessionMode.VIEW_ONLY })).toEqual({ type: 'EXPIRE' });
    expect(dueAction({ state: SessionState.PENDING_CONSENT, requestedMode: SessionMode.FULL_CONTROL })).toEqual({ type: 'EXPIRE' });
    expect(dueAction({ state: SessionState.PENDING_CONSENT, requestedMode: SessionMode.UNATTENDED })).toEqual({ type: 'AUTO_START' });
    expect(dueAction({ state: SessionState.ACTIVE, requestedMode: SessionMode.VIEW_ONLY })).toEqual({ type: 'DISCONNECT' });
    expect(dueAction({ state: SessionState.ENDED, requestedMode: SessionMode.VIEW_ONLY })).toBeNull();
  });
});

describe('input limits', () => {
  it('reason: at most 500 characters, trimmed, empty = none', () => {
    expect(normalizeReason(undefined)).toBeNull();
    expect(normalizeReason('   ')).toBeNull();
    expect(normalizeReason(' INC-1 ')).toBe('INC-1');
    expect(normalizeReason('é'.repeat(500))).toHaveLength(500);
    expect(() => normalizeReason('x'.repeat(501))).toThrow(/at most 500/);
  });

  it('chat text: 1 to 4,000 characters, not only blanks', () => {
    expect(checkChatText('hi')).toBe('hi');
    expect(checkChatText('😀'.repeat(4000))).toHaveLength(8000); // 4,000 characters (UTF-16: 8,000 units)
    expect(() => checkChatText('')).toThrow(/empty/);
    expect(() => checkChatText('  \n ')).toThrow(/empty/);
    expect(() => checkChatText('x'.repeat(4001))).toThrow(/at most 4000/);
  });
});
