import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, isUuid } from '@remote-help/domain';
import { DIRECTORY_EVENTS, TOPICS, writeToOutbox, type GroupCreatedData, type GroupMembersChangedData } from '@remote-help/events';
import { AdminAuthorizer, AuditTrail, badInput, conflict, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { checkMemberKind, idListOf, missingIds, requiredText } from '../directory/directory.rules';
import { directoryEvent } from '../directory/directory-events';
import { namePage } from '../directory/name-page';
import { DeviceEntity } from '../device/device.entity';
import { UserEntity } from '../user/user.entity';
import { GroupEntity } from './group.entity';
import { CreateGroupInput } from './group.input';
import { GroupMemberKind } from './group.model';

const CATEGORY = 'Directory';

/** Groups of users, devices or both, and their members; changes need MANAGE_DIRECTORY. */
@Injectable()
export class GroupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
  ) {}

  /** The tenant's groups whose display name contains `search` (case-insensitive), by display name, after the group `after`. */
  list(tenantId: string, search: string | null, first: number, after: string | null = null): Promise<GroupEntity[]> {
    const q = this.dataSource.getRepository(GroupEntity).createQueryBuilder('g');
    return namePage(q, 'g', 'directory_groups', { tenantId, searchColumns: ['display_name'], search, after, first }).getMany();
  }

  findInTenant(tenantId: string, id: string): Promise<GroupEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(GroupEntity).findOneBy({ tenantId, id: id.toLowerCase() });
  }

  /** The groups of these users (User.groups, one query per batch), by user id, by group name. */
  groupsOfUsers(tenantId: string, userIds: string[]): Promise<Map<string, GroupEntity[]>> {
    return this.groupsOf('group_users', 'user_id', tenantId, userIds);
  }

  /** The groups of these devices (Device.groups), by device id. */
  groupsOfDevices(tenantId: string, deviceIds: string[]): Promise<Map<string, GroupEntity[]>> {
    return this.groupsOf('group_devices', 'device_id', tenantId, deviceIds);
  }

  /** The users of these groups (Group.users, one query per batch), by group id, by display name. */
  async usersOfGroups(tenantId: string, groupIds: string[]): Promise<Map<string, UserEntity[]>> {
    const rows: { group_id: string; id: string }[] = groupIds.length
      ? await this.dataSource.query(
          `SELECT gu.group_id, u.id FROM group_users gu JOIN users u ON u.id = gu.user_id AND u.tenant_id = gu.tenant_id
           WHERE gu.tenant_id = $1 AND gu.group_id = ANY($2::uuid[]) ORDER BY lower(u.display_name), u.id`,
          [tenantId, groupIds.filter(isUuid)],
        )
      : [];
    if (!rows.length) return new Map();
    const users = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND u.id = ANY(:ids)', { tenantId, ids: [...new Set(rows.map((r) => r.id))] })
      .getMany();
    return groupRows(rows, new Map(users.map((u) => [u.id, u])));
  }

  /** The devices of these groups (Group.devices), by group id, by display name. */
  async devicesOfGroups(tenantId: string, groupIds: string[]): Promise<Map<string, DeviceEntity[]>> {
    const rows: { group_id: string; id: string }[] = groupIds.length
      ? await this.dataSource.query(
          `SELECT gd.group_id, d.id FROM group_devices gd JOIN devices d ON d.id = gd.device_id AND d.tenant_id = gd.tenant_id
           WHERE gd.tenant_id = $1 AND gd.group_id = ANY($2::uuid[]) ORDER BY lower(d.display_name), d.id`,
          [tenantId, groupIds.filter(isUuid)],
        )
      : [];
    if (!rows.length) return new Map();
    const devices = await this.dataSource
      .getRepository(DeviceEntity)
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId AND d.id = ANY(:ids)', { tenantId, ids: [...new Set(rows.map((r) => r.id))] })
      .getMany();
    return groupRows(rows, new Map(devices.map((d) => [d.id, d])));
  }

  /** A new group; its display name is unique in the tenant (CONFLICT). Publishes group.created. */
  async createGroup(caller: Caller, input: CreateGroupInput): Promise<GroupEntity> {
    const tenantId = tenantOf(caller);
    return this.audit.run(caller, { category: CATEGORY, activity: 'Create group', targetId: (g: GroupEntity) => g.id, details: (g: GroupEntity) => `${g.displayName} (${g.memberKind})` }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_DIRECTORY);
      const displayName = requiredText(input.displayName, 'displayName');
      if (!Object.values(GroupMemberKind).includes(input.memberKind)) throw badInput(`memberKind must be one of ${Object.values(GroupMemberKind).join(', ')}`);
      const taken = await m.query(`SELECT display_name FROM directory_groups WHERE tenant_id = $1 AND lower(display_name) = lower($2) LIMIT 1`, [tenantId, displayName]);
      if (taken.length) throw conflict(`a group named "${taken[0].display_name}" already exists in this tenant`);
      const id = randomUUID();
      try {
        await m.insert(GroupEntity, { id, tenantId, displayName, memberKind: input.memberKind });
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw conflict(`a group named "${displayName}" already exists in this tenant`);
        throw e;
      }
      const data: GroupCreatedData = { id, tenantId, displayName, memberKind: input.memberKind };
      await writeToOutbox(m, TOPICS.tenant, directoryEvent(DIRECTORY_EVENTS.groupCreated, tenantId, id, data));
      return m.findOneByOrFail(GroupEntity, { id });
    });
  }

  /**
   * Adds users and/or devices of this tenant to the group (as its memberKind allows). Members
   * already in it are left as they are; group.members.added names only the ones added (no event
   * when none is).
   */
  addMembers(caller: Caller, groupId: string, userIds: string[] | null | undefined, deviceIds: string[] | null | undefined): Promise<GroupEntity> {
    return this.changeMembers(caller, 'add', groupId, userIds, deviceIds);
  }

  /** Removes users and/or devices of this tenant from the group; absent ones are a no-op (group.members.removed names only the removed). */
  removeMembers(caller: Caller, groupId: string, userIds: string[] | null | undefined, deviceIds: string[] | null | undefined): Promise<GroupEntity> {
    return this.changeMembers(caller, 'remove', groupId, userIds, deviceIds);
  }

  private changeMembers(caller: Caller, op: 'add' | 'remove', groupId: string, userIdsIn: string[] | null | undefined, deviceIdsIn: string[] | null | undefined): Promise<GroupEntity> {
    const tenantId = tenantOf(caller);
    let details = '';
    return this.audit.run(caller, { category: CATEGORY, activity: op === 'add' ? 'Add group members' : 'Remove group members', targetId: isUuid(groupId) ? groupId : null, details: () => details }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_DIRECTORY);
      const userIds = idListOf(userIdsIn, 'userIds');
      const deviceIds = idListOf(deviceIdsIn, 'deviceIds');
      // Locked, so that the membership events of one group are written in the order of their changes.
      const group = isUuid(groupId) ? await m.findOne(GroupEntity, { where: { tenantId, id: groupId.toLowerCase() }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!group) throw notFound(`group ${groupId}`);
      checkMemberKind(group.memberKind, group.displayName, userIds, deviceIds);
      await assertAllInTenant(m, 'users', 'userIds', 'a user', tenantId, userIds);
      await assertAllInTenant(m, 'devices', 'deviceIds', 'a device', tenantId, deviceIds);

      const changed: GroupMembersChangedData = {
        groupId: group.id,
        tenantId,
        userIds: await changeRows(m, op, 'group_users', 'user_id', group.id, tenantId, userIds),
        deviceIds: await changeRows(m, op, 'group_devices', 'device_id', group.id, tenantId, deviceIds),
      };
      const verb = op === 'add' ? 'added' : 'removed';
      details = `${group.displayName}: ${verb} ${changed.userIds.length} user(s)${changed.userIds.length ? ` [${changed.userIds.join(', ')}]` : ''} and ${changed.deviceIds.length} device(s)${changed.deviceIds.length ? ` [${changed.deviceIds.join(', ')}]` : ''}`;
      if (changed.userIds.length || changed.deviceIds.length) {
        const type = op === 'add' ? DIRECTORY_EVENTS.groupMembersAdded : DIRECTORY_EVENTS.groupMembersRemoved;
        await writeToOutbox(m, TOPICS.tenant, directoryEvent(type, tenantId, group.id, changed));
      }
      return group;
    });
  }

  private async groupsOf(table: 'group_users' | 'group_devices', column: 'user_id' | 'device_id', tenantId: string, memberIds: string[]): Promise<Map<string, GroupEntity[]>> {
    const ids = memberIds.filter(isUuid);
    const byMember = new Map<string, GroupEntity[]>();
    if (!ids.length) return byMember;
    const rows: { member_id: string; id: string; tenant_id: string; display_name: string; member_kind: GroupEntity['memberKind']; created_at: Date }[] = await this.dataSource.query(
      `SELECT m.${column} AS member_id, g.id, g.tenant_id, g.display_name, g.member_kind, g.created_at
       FROM ${table} m JOIN directory_groups g ON g.id = m.group_id AND g.tenant_id = m.tenant_id
       WHERE m.tenant_id = $1 AND m.${column} = ANY($2::uuid[]) ORDER BY lower(g.display_name), g.id`,
      [tenantId, ids],
    );
    for (const r of rows) {
      const g: GroupEntity = { id: r.id, tenantId: r.tenant_id, displayName: r.display_name, memberKind: r.member_kind, createdAt: r.created_at };
      const groups = byMember.get(r.member_id);
      if (groups) groups.push(g);
      else byMember.set(r.member_id, [g]);
    }
    return byMember;
  }
}

function groupRows<T>(rows: { group_id: string; id: string }[], byId: Map<string, T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const item = byId.get(r.id);
    if (!item) continue;
    const items = out.get(r.group_id);
    if (items) items.push(item);
    else out.set(r.group_id, [item]);
  }
  return out;
}

/** BAD_USER_INPUT naming the ids that are not users (devices) of this tenant: unknown, or of another tenant. */
async function assertAllInTenant(m: EntityManager, table: 'users' | 'devices', field: string, what: string, tenantId: string, ids: string[]) {
  if (!ids.length) return;
  const found: { id: string }[] = await m.query(`SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids]);
  const missing = missingIds(
    ids,
    found.map((r) => r.id),
  );
  if (missing.length) throw badInput(`${field}: ${missing.join(', ')} ${missing.length === 1 ? `is not ${what}` : `are not ${what.replace(/^an? /, '')}s`} of this tenant`);
}

/** Inserts absent / deletes present membership rows; returns the ids actually changed, in the order given. */
async function changeRows(m: EntityManager, op: 'add' | 'remove', table: 'group_users' | 'group_devices', column: 'user_id' | 'device_id', groupId: string, tenantId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  // (TypeORM answers a DELETE with [rows, rowCount], an INSERT with the rows.)
  const rows: Record<string, string>[] =
    op === 'add'
      ? await m.query(`INSERT INTO ${table} (group_id, ${column}, tenant_id) SELECT $1, x, $2 FROM unnest($3::uuid[]) AS x ON CONFLICT DO NOTHING RETURNING ${column}`, [groupId, tenantId, ids])
      : (await m.query(`DELETE FROM ${table} WHERE group_id = $1 AND tenant_id = $2 AND ${column} = ANY($3::uuid[]) RETURNING ${column}`, [groupId, tenantId, ids]))[0];
  const changed = new Set(rows.map((r) => r[column]));
  return ids.filter((id) => changed.has(id));
}
