import { Field, InputType } from '@nestjs/graphql';
import { GroupMemberKind } from './group.model';

@InputType('CreateGroupInput')
export class CreateGroupInput {
  @Field({ description: '1 to 256 characters, unique in the tenant (case-insensitive).' }) displayName: string;
  @Field(() => GroupMemberKind) memberKind: GroupMemberKind;
}
