import { SessionFactsSchema } from '@remote-help/events';
import { FACTS_COLUMNS, factsSql } from './session-sql';

describe('the lifecycle event data built in SQL', () => {
  it('has exactly the fields of the SessionFacts schema (the audit part is added beside it)', () => {
    const schemaFields = Object.keys(SessionFactsSchema.shape).filter((f) => f !== 'audit');
    expect(Object.keys(FACTS_COLUMNS).sort()).toEqual(schemaFields.sort());
  });

  it('names each field once, the actor from the given parameter', () => {
    const sql = factsSql('$20');
    for (const field of Object.keys(FACTS_COLUMNS)) expect(sql.split(`'${field}', `)).toHaveLength(2);
    expect(sql).toContain(`'actorId', $20::text`);
  });
});
