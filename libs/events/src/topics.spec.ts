import { isKnownTopic, TOPIC_PARTITIONS, TOPICS, topicName } from './topics';

describe('topics', () => {
  it('has the agreed names', () => {
    expect(TOPICS).toEqual({
      tenant: 'remote-help.tenant.v1',
      rbac: 'remote-help.rbac.v1',
      session: 'remote-help.session.v1',
      audit: 'remote-help.audit.v1',
      reporting: 'remote-help.reporting.v1',
      deadLetter: 'remote-help.dead-letter.v1',
      rateUsage: 'remote-help.gateway-rate-usage.v1',
    });
  });

  it('gives every topic an explicit partition count', () => {
    for (const base of Object.values(TOPICS)) expect(Number.isInteger(TOPIC_PARTITIONS[base])).toBe(true);
    expect(TOPIC_PARTITIONS[TOPICS.session]).toBe(6);
    expect(TOPIC_PARTITIONS[TOPICS.tenant]).toBe(3);
    expect(TOPIC_PARTITIONS[TOPICS.deadLetter]).toBe(1);
    expect(Object.keys(TOPIC_PARTITIONS).sort()).toEqual(Object.values(TOPICS).sort());
  });

  it('topicName prefixes the base name', () => {
    expect(topicName('', TOPICS.tenant)).toBe('remote-help.tenant.v1');
    expect(topicName('test-abc.', TOPICS.session)).toBe('test-abc.remote-help.session.v1');
  });

  it('topicName rejects names Kafka would refuse', () => {
    expect(() => topicName('bad prefix ', TOPICS.tenant)).toThrow(/illegal Kafka topic name/);
    expect(() => topicName('ü.', TOPICS.tenant)).toThrow(/illegal Kafka topic name/);
    expect(() => topicName('x'.repeat(240), TOPICS.tenant)).toThrow(/longer than 249/);
    expect(() => topicName('p.', '')).toThrow(/non-empty/);
  });

  it('isKnownTopic', () => {
    expect(isKnownTopic(TOPICS.audit)).toBe(true);
    expect(isKnownTopic('remote-help.nope.v1')).toBe(false);
    expect(isKnownTopic('toString')).toBe(false);
  });
});
