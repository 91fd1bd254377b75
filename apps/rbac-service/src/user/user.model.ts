import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** tenant-service's User, with the field this subgraph adds to it. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID) id: string;
}
