import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each table the access decision's facts come from, and its column holding the tenant id. */
const WATCHED: [table: string, tenantColumn: string][] = [
  ['directory_tenants', 'id'],
  ['directory_users', 'tenant_id'],
  ['directory_devices', 'tenant_id'],
  ['directory_group_users', 'tenant_id'],
  ['directory_group_devices', 'tenant_id'],
  ['roles', 'tenant_id'],
  ['role_assignments', 'tenant_id'],
];

/**
 * Change notices for rbac-service's in-memory decision facts (FactsCache): after every statement
 * that inserts, updates or deletes rows of a watched table, one NOTIFY rbac_access_facts per tenant
 * whose rows it touched (payload: the tenant id). PostgreSQL delivers them when the transaction
 * commits (never for a rolled-back one) and folds identical ones of a transaction into one.
 * Statement-level triggers with transition tables: a bulk write costs one trigger call, not one per row.
 */
export class AccessFactsNotify1764300000000 implements MigrationInterface {
  name = 'AccessFactsNotify1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION rbac_access_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE t uuid;
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          FOR t IN EXECUTE format('SELECT DISTINCT %I FROM new_rows', TG_ARGV[0]) LOOP
            PERFORM pg_notify('rbac_access_facts', t::text);
          END LOOP;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          FOR t IN EXECUTE format('SELECT DISTINCT %I FROM old_rows', TG_ARGV[0]) LOOP
            PERFORM pg_notify('rbac_access_facts', t::text);
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, column] of WATCHED) {
      await q.query(`CREATE TRIGGER ${table}_facts_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed('${column}')`);
      await q.query(`CREATE TRIGGER ${table}_facts_upd AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed('${column}')`);
      await q.query(`CREATE TRIGGER ${table}_facts_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rbac_access_facts_changed('${column}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table] of WATCHED) {
      for (const suffix of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER ${table}_facts_${suffix} ON ${table}`);
    }
    await q.query(`DROP FUNCTION rbac_access_facts_changed()`);
  }
}
