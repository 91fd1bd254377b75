import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
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
}

@InputType('UpdateRoleAssignmentInput', { description: 'An absent field is left as it is.' })
export class UpdateRoleAssignmentInput {
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true, description: 'null or empty clears it.' }) description?: string | null;
  @Field(() => [ID], { nullable: true, description: 'At least one group when given; its members hold the role.' }) adminGroupIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) scopeGroupIds?: string[] | null;
  @Field(() => Boolean, { nullable: true }) scopeAllUsers?: boolean | null;
  @Field(() => Boolean, { nullable: true }) scopeAllDevices?: boolean | null;
}
