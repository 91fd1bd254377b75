import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The tenant-service's entity, with the fields this subgraph adds to it. */
@ObjectType('Tenant')
@Directive('@key(fields: "id")')
export class Tenant {
  @Field(() => ID) id: string;
  activeSessionCount?: number;
}
