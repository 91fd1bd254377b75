import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';

registerEnumType(RemoteHelpPermission, { name: 'RemoteHelpPermission' });
registerEnumType(AdminPermission, { name: 'AdminPermission' });

@ObjectType('Role')
export class Role {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'Built-in roles can be neither edited nor deleted.' }) builtIn: boolean;
  @Field(() => [RemoteHelpPermission], { description: 'As granted.' }) permissions: RemoteHelpPermission[];
  @Field(() => [RemoteHelpPermission], { description: 'With the implications applied.' }) effectivePermissions: RemoteHelpPermission[];
  @Field(() => [AdminPermission]) adminPermissions: AdminPermission[];
  // Not exposed: Role.assignments reads it.
  tenantId: string;
}
