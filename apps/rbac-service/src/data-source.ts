import { EVENTS_ENTITIES, EVENTS_MIGRATIONS } from '@remote-help/events';
import { RoleAssignmentEntity } from './assignment/role-assignment.entity';
import { DIRECTORY_ENTITIES } from './directory/directory.entity';
import { InitialRoles1764000000000 } from './migrations/1764000000000-initial-roles';
import { DirectoryCopyAndAssignments1764100000000 } from './migrations/1764100000000-directory-copy-and-assignments';
import { AccessFactsNotify1764300000000 } from './migrations/1764300000000-access-facts-notify';
import { AssignmentApprovals1765100000000 } from './migrations/1765100000000-assignment-approvals';
import { RequiredReason1765200000000 } from './migrations/1765200000000-required-reason';
import { RoleEntity } from './role/role.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, RoleEntity, RoleAssignmentEntity, ...DIRECTORY_ENTITIES];
export const MIGRATIONS = [...EVENTS_MIGRATIONS, InitialRoles1764000000000, DirectoryCopyAndAssignments1764100000000, AccessFactsNotify1764300000000, AssignmentApprovals1765100000000, RequiredReason1765200000000];
