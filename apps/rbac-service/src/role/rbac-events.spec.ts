import { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';
import { parseEvent, RBAC_EVENTS, type RbacEventType, TOPICS } from '@remote-help/events';
import type { RoleAssignmentEntity } from '../assignment/role-assignment.entity';
import { assignmentEvent, roleEvent } from './rbac-events';
import type { RoleEntity } from './role.entity';

const T = '11111111-1111-4111-8111-111111111111';
const R = '22222222-2222-4222-8222-222222222222';
const A = '33333333-3333-4333-8333-333333333333';
const G = '44444444-4444-4444-8444-444444444444';

const role = {
  id: R,
  tenantId: T,
  builtInKey: null,
  displayName: 'Helpdesk',
  description: null,
  permissions: [RemoteHelpPermission.VIEW_SCREEN],
  adminPermissions: [AdminPermission.READ_REPORTS],
} as unknown as RoleEntity;
const assignment = {
  id: A,
  tenantId: T,
  roleId: R,
  builtInKey: null,
  displayName: 'Helpdesk for all',
  description: 'x',
  adminGroupIds: [G],
  scopeGroupIds: [],
  scopeAllUsers: true,
  scopeAllDevices: false,
  approvalRequiredFor: [RemoteHelpPermission.TAKE_FULL_CONTROL],
  approverGroupIds: [G],
} as unknown as RoleAssignmentEntity;

describe('rbac events', () => {
  it('makes every event type of the rbac topic so that its consumers parse it back unchanged (the same contract on both sides)', () => {
    const events = [
      roleEvent(RBAC_EVENTS.roleCreated, role),
      roleEvent(RBAC_EVENTS.roleUpdated, role),
      roleEvent(RBAC_EVENTS.roleDeleted, role),
      assignmentEvent(RBAC_EVENTS.assignmentCreated, assignment),
      assignmentEvent(RBAC_EVENTS.assignmentUpdated, assignment),
      assignmentEvent(RBAC_EVENTS.assignmentDeleted, assignment),
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set<RbacEventType>(Object.values(RBAC_EVENTS)));
    for (const e of events) expect(parseEvent(JSON.parse(JSON.stringify(e)), TOPICS.rbac)).toEqual(e);
    expect(events[3].data).toMatchObject({ approvalRequiredFor: ['TAKE_FULL_CONTROL'], approverGroupIds: [G] });
    expect(events[0]).toMatchObject({ source: 'rbac-service', tenantId: T, subject: R, data: { id: R, builtIn: false, permissions: ['VIEW_SCREEN'], adminPermissions: ['READ_REPORTS'] } });
  });
});
