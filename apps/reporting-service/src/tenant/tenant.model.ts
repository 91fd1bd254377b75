import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';

/** The tenant-service's entity, with the fields this subgraph adds to it. */
@ObjectType('Tenant')
@Directive('@key(fields: "id")')
export class Tenant {
  @Field(() => ID) id: string;
  @Field(() => Int, { description: 'Remote Help sessions active now.' }) activeSessionCount?: number;
}
