import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** tenant-service's Group, referenced by id (the gateway fetches the rest from tenant-service). */
@ObjectType('Group')
@Directive('@key(fields: "id", resolvable: false)')
export class Group {
  @Field(() => ID) id: string;
}
