import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { RemoteHelpPermission } from '@remote-help/domain';
import { Group } from './group.model';

@ObjectType('RoleAssignment')
export class RoleAssignment {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field({ description: 'The built-in assignment ("Remote Help Administrators") can be neither edited nor deleted.' }) builtIn: boolean;
  @Field(() => [Group], { description: 'Members of these groups hold the role ...' }) adminGroups: Group[];
  @Field(() => [Group], { description: '... over the users and devices in these groups.' }) scopeGroups: Group[];
  @Field({ description: 'The assignment covers every user of the tenant.' }) scopeAllUsers: boolean;
  @Field({ description: 'The assignment covers every device of the tenant.' }) scopeAllDevices: boolean;
  @Field(() => [RemoteHelpPermission], {
    description:
      'Just-in-time approval. A mode or step needs every permission it implies (VIEW_ONLY: OFFER_REMOTE_ASSISTANCE and VIEW_SCREEN; ' +
      'FULL_CONTROL: those and TAKE_FULL_CONTROL; elevation: ELEVATION; UNATTENDED: all five). A needed permission needs approval when every ' +
      'assignment that grants it over the target lists it here. Approvers: the enabled members of the approverGroups of those assignments, ' +
      'never the requester. Empty: no approval.',
  })
  approvalRequiredFor: RemoteHelpPermission[];
  @Field(() => [Group], { description: 'Whose members may approve the permissions of approvalRequiredFor.' }) approverGroups: Group[];
  // Not exposed: resolved by RoleAssignment.role.
  roleId: string;
  tenantId: string;
}

@InputType('CreateRoleAssignmentInput')
export class CreateRoleAssignmentInput {
  @Field(() => ID) roleId: string;
  @Field() displayName: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [ID], { description: 'At least one group; its members hold the role.' }) adminGroupIds: string[];
  @Field(() => [ID], { description: 'Groups of users and/or devices the assignment covers.' }) scopeGroupIds: string[];
  @Field(() => Boolean, { nullable: true }) scopeAllUsers?: boolean | null;
  @Field(() => Boolean, { nullable: true }) scopeAllDevices?: boolean | null;
  @Field(() => [RemoteHelpPermission], { nullable: true, description: 'The permissions that need an approver (see RoleAssignment.approvalRequiredFor); absent: none.' })
  approvalRequiredFor?: RemoteHelpPermission[] | null;
  @Field(() => [ID], { nullable: true, description: 'Groups of users of this tenant; required, non-empty, when approvalRequiredFor is not empty.' })
  approverGroupIds?: string[] | null;
}

@InputType('UpdateRoleAssignmentInput', { description: 'An absent field is left as it is.' })
export class UpdateRoleAssignmentInput {
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true, description: 'null or empty clears it.' }) description?: string | null;
  @Field(() => [ID], { nullable: true, description: 'At least one group when given; its members hold the role.' }) adminGroupIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) scopeGroupIds?: string[] | null;
  @Field(() => Boolean, { nullable: true }) scopeAllUsers?: boolean | null;
  @Field(() => Boolean, { nullable: true }) scopeAllDevices?: boolean | null;
  @Field(() => [RemoteHelpPermission], { nullable: true, description: 'Empty: no approval.' }) approvalRequiredFor?: RemoteHelpPermission[] | null;
  @Field(() => [ID], { nullable: true, description: 'Must not become empty while approvalRequiredFor is not.' }) approverGroupIds?: string[] | null;
}
