import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GroupMemberKind } from '@remote-help/domain';

export { GroupMemberKind };

registerEnumType(GroupMemberKind, { name: 'GroupMemberKind', description: 'What a group may hold: users only, devices only, or both.' });

@ObjectType('Group')
@Directive('@key(fields: "id")')
export class Group {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => GroupMemberKind) memberKind: GroupMemberKind;
  tenantId: string;
}
