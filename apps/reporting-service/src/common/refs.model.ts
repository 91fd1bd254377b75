import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** tenant-service's User, referenced by id (the gateway fetches the rest from tenant-service). */
@ObjectType('User')
@Directive('@key(fields: "id", resolvable: false)')
export class UserRef {
  @Field(() => ID) id: string;
}

/** tenant-service's Device, referenced by id. */
@ObjectType('Device')
@Directive('@key(fields: "id", resolvable: false)')
export class DeviceRef {
  @Field(() => ID) id: string;
}
