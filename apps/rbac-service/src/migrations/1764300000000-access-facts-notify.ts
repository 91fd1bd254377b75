import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each table the access decision's facts come from: what a change of its rows concerns ('u' a user,
 * 'd' a device, by the id in `idColumn`; 't' the whole tenant) and its column holding the tenant id.
 */
const WATCHED: [table: string, kind: 't' | 'u' | 'd', idColumn: string, tenantColumn: string][] = [
  ['directory_tenants', 't', 'id', 'id'],
  ['directory_users', 'u', 'id', 'tenant_id'],
  ['directory_group_users', 'u', 'user_id', 'tenant_id'],
  ['directory_devices', 'd', 'id', 'tenant_id'],
  ['directory_group_devices', 'd', 'device_id', 'tenant_id'],
  ['roles', 't', 'tenant_id', 'tenant_id'],
  ['role_assignments', 't', 'tenant_id', 'tenant_id'],
];

/**
 * Change notices for rbac-service's in-memory decision facts (FactsCache): after every statement
 * that inserts, updates or deletes rows of a watched table, NOTIFY rbac_access_facts with what it
 * touched: 'u:<user id>' or 'd:<device id>' for each user or device whose row or memberships
 * changed, 't:<tenant id>' for a tenant's settings, roles and role assignments, and for a
 * statement that touched more than 100 users or devices. PostgreSQL delivers them when the
 * transaction commits (never for a rolled-back one) and folds identical ones of a transaction
 * into one. Statement-level triggers with transition tables: a bulk write costs one trigger call.
 */
export class AccessFactsNotify1764300000000 implements MigrationInterface {
  name = 'AccessFactsNotify1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // TG_ARGV: kind, id column, tenant column.
    await q.query(`
      CREATE FUNCTION rbac_access_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        pick text := format('SELECT %I::text AS id, %I::text AS tenant FROM ', TG_ARGV[1], TG_ARGV[2]);
        touched text;
        notice text;
      BEGIN
        touched := CASE TG_OP
          WHEN 'INSERT' THEN pick || 'new_rows'
          WHEN 'DELETE' THEN pick || 'old_rows'
          ELSE pick || 'new_rows UNION ALL ' || pick || 'old_rows' END;
        FOR notice IN EXECUTE format(
          'WITH r AS (%s), wide AS (SELECT $1 = ''t'' OR count(DISTINCT id) > 100 AS yes FROM r)
           SELECT DISTINCT CASE WHEN wide.yes THEN ''t:'' || r.tenant ELSE $1 || '':'' || r.id END FROM r, wide', touched)
          USING TG_ARGV[0]
        LOOP
          PERFORM pg_notify('rbac_access_facts', notice);
        END LOOP;
        RETURN NULL;
      END $$`);
    for (const [table, kind, idColumn, tenantColumn] of WATCHED) {
      const args = `'${kind}', '${idColumn}', '${tenantColumn}'`;
      await q.query(`CREATE TRIGGER ${table}_facts_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed(${args})`);
      await q.query(`CREATE TRIGGER ${table}_facts_upd AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed(${args})`);
      await q.query(`CREATE TRIGGER ${table}_facts_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed(${args})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table] of WATCHED) {
      for (const suffix of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER ${table}_facts_${suffix} ON ${table}`);
    }
    await q.query(`DROP FUNCTION rbac_access_facts_changed()`);
  }
}
