import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { RoleAssignment } from '../assignment/role-assignment.model';
import { Role } from '../role/role.model';

/** The tenant-service's entity, with the fields this subgraph adds to it. */
@ObjectType('Tenant')
@Directive('@key(fields: "id")')
export class Tenant {
  @Field(() => ID) id: string;
  @Field(() => [Role]) roles?: Role[];
  @Field(() => [RoleAssignment]) roleAssignments?: RoleAssignment[];
}
