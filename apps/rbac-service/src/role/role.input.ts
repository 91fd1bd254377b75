import { Field, InputType } from '@nestjs/graphql';
import { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';

@InputType('CreateRoleInput')
export class CreateRoleInput {
  @Field() displayName: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [RemoteHelpPermission]) permissions: RemoteHelpPermission[];
  @Field(() => [AdminPermission], { nullable: true }) adminPermissions?: AdminPermission[] | null;
}

@InputType('UpdateRoleInput', { description: 'Only the fields given change.' })
export class UpdateRoleInput {
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it.' }) description?: string | null;
  @Field(() => [RemoteHelpPermission], { nullable: true }) permissions?: RemoteHelpPermission[] | null;
  @Field(() => [AdminPermission], { nullable: true }) adminPermissions?: AdminPermission[] | null;
}
