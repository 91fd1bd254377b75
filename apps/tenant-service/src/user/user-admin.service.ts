import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, isUuid, LicenseKind } from '@remote-help/domain';
import { DIRECTORY_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { AdminAuthorizer, AuditTrail, badInput, conflict, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { describeChanges, licenseDatesOf, optionalText, pictureUrlOf, requiredText, userPrincipalNameOf } from '../directory/directory.rules';
import { directoryEvent, userSnapshot } from '../directory/directory-events';
import { TenantEntity } from '../tenant/tenant.entity';
import { LicenseEntity } from './license.entity';
import { UserEntity } from './user.entity';
import { AssignLicenseInput, UpsertUserInput } from './user.input';

const CATEGORY = 'Directory';

/** Changes to users and their licences (MANAGE_DIRECTORY), each with its event and an audit event in one transaction. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Creates a user (no id) or updates that user of the tenant (NOT_FOUND otherwise). The UPN must
   * be in a verified domain of the tenant and unique in it (CONFLICT). An update that changes
   * nothing writes no event. Publishes user.upserted with the user's licences.
   */
  async upsertUser(caller: Caller, input: UpsertUserInput): Promise<UserEntity> {
    const tenantId = tenantOf(caller);
    const id = input.id ?? null;
    let details = '';
    return this.audit.run(caller, { category: CATEGORY, activity: id ? 'Update user' : 'Create user', targetId: id ? (isUuid(id) ? id : null) : (u: UserEntity) => u.id, details: () => details }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_DIRECTORY);
      const tenant = await m.findOneByOrFail(TenantEntity, { id: tenantId });
      const values = {
        userPrincipalName: userPrincipalNameOf(input.userPrincipalName, tenant.verifiedDomains),
        displayName: requiredText(input.displayName, 'displayName'),
        givenName: optionalText(input.givenName, 'givenName'),
        surname: optionalText(input.surname, 'surname'),
        jobTitle: optionalText(input.jobTitle, 'jobTitle'),
        companyName: optionalText(input.companyName, 'companyName'),
        profilePictureUrl: pictureUrlOf(input.profilePictureUrl),
      };
      let user: UserEntity;
      if (!id) {
        await assertUpnFree(m, tenantId, values.userPrincipalName, null);
        const newId = randomUUID();
        await writeUser(values.userPrincipalName, () =>
          m.insert(UserEntity, {
            id: newId,
            tenantId,
            version: 1,
            ...values,
            givenName: values.givenName ?? null,
            surname: values.surname ?? null,
            jobTitle: values.jobTitle ?? null,
            companyName: values.companyName ?? null,
            profilePictureUrl: values.profilePictureUrl ?? null,
          }),
        );
        user = await m.findOneByOrFail(UserEntity, { id: newId });
        details = `${user.userPrincipalName} (${user.displayName})`;
      } else {
        const current = await lockUser(m, tenantId, id);
        const next = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<UserEntity>;
        const changes = describeChanges(current as unknown as Record<string, unknown>, next);
        details = `${current.userPrincipalName}: ${changes.join('; ') || 'no change'}`;
        if (changes.length === 0) return current;
        if (next.userPrincipalName && next.userPrincipalName.toLowerCase() !== current.userPrincipalName.toLowerCase()) {
          await assertUpnFree(m, tenantId, next.userPrincipalName, current.id);
        }
        await writeUser(values.userPrincipalName, () => m.update(UserEntity, { id: current.id, tenantId }, { ...next, version: current.version + 1 }));
        user = await m.findOneByOrFail(UserEntity, { id: current.id });
      }
      const licenses = await m.find(LicenseEntity, { where: { userId: user.id, tenantId } });
      await writeToOutbox(m, TOPICS.tenant, directoryEvent(DIRECTORY_EVENTS.userUpserted, tenantId, user.id, userSnapshot(user, licenses)));
      return user;
    });
  }

  /**
   * Gives the user a licence of this kind (replacing the dates of one they hold already):
   * activeFrom defaults to now, expiresAt (optional) must be later. Publishes license.assigned
   * with the user and all of their licences.
   */
  async assignLicense(caller: Caller, input: AssignLicenseInput): Promise<UserEntity> {
    const tenantId = tenantOf(caller);
    let details = '';
    return this.audit.run(caller, { category: CATEGORY, activity: 'Assign license', targetId: isUuid(input.userId) ? input.userId : null, details: () => details }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_DIRECTORY);
      if (!Object.values(LicenseKind).includes(input.kind)) throw badInput(`kind must be one of ${Object.values(LicenseKind).join(', ')}`);
      const { activeFrom, expiresAt } = licenseDatesOf(input.activeFrom, input.expiresAt, new Date());
      const user = await lockUser(m, tenantId, input.userId);
      await m.query(
        `INSERT INTO licenses (user_id, tenant_id, kind, active_from, expires_at, assigned_at) VALUES ($1, $2, $3, $4, $5, now())
           ON CONFLICT (user_id, kind) DO UPDATE SET active_from = EXCLUDED.active_from, expires_at = EXCLUDED.expires_at, assigned_at = EXCLUDED.assigned_at`,
        [user.id, tenantId, input.kind, activeFrom, expiresAt],
      );
      await m.update(UserEntity, { id: user.id, tenantId }, { version: user.version + 1 });
      const saved = await m.findOneByOrFail(UserEntity, { id: user.id });
      const licenses = await m.find(LicenseEntity, { where: { userId: user.id, tenantId } });
      await writeToOutbox(m, TOPICS.tenant, directoryEvent(DIRECTORY_EVENTS.licenseAssigned, tenantId, user.id, userSnapshot(saved, licenses)));
      details = `${saved.userPrincipalName}: ${input.kind} active from ${activeFrom.toISOString()}${expiresAt ? ` until ${expiresAt.toISOString()}` : ', no expiry'}`;
      return saved;
    });
  }
}

/** The user, locked for this transaction; NOT_FOUND when it is not a user of the tenant. */
export async function lockUser(m: EntityManager, tenantId: string, id: string | null | undefined): Promise<UserEntity> {
  const row = isUuid(id) ? await m.findOne(UserEntity, { where: { tenantId, id: id.toLowerCase() }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!row) throw notFound(`user ${String(id ?? '')}`.trim());
  return row;
}

async function assertUpnFree(m: EntityManager, tenantId: string, upn: string, exceptId: string | null) {
  const taken = await m.query(`SELECT 1 FROM users WHERE tenant_id = $1 AND lower(user_principal_name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`, [tenantId, upn, exceptId]);
  if (taken.length) throw conflict(`a user with the user principal name ${upn} already exists in this tenant`);
}

/** Runs an insert or update of a user; a unique violation (a concurrent user with the same UPN) is a CONFLICT. */
async function writeUser(upn: string, write: () => Promise<unknown>) {
  try {
    await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict(`a user with the user principal name ${upn} already exists in this tenant`);
    throw e;
  }
}
