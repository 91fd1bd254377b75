import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ComplianceState, Platform } from '@remote-help/domain';

registerEnumType(Platform, { name: 'Platform' });
registerEnumType(ComplianceState, { name: 'ComplianceState' });

@ObjectType('Device')
@Directive('@key(fields: "id")')
export class Device {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => Platform) platform: Platform;
  @Field() osVersion: string;
  @Field({ nullable: true }) manufacturer?: string;
  @Field({ description: 'Enrolled in device management.' }) enrolled: boolean;
  @Field({ description: 'Registered with the directory.' }) entraRegistered: boolean;
  @Field(() => ComplianceState) compliance: ComplianceState;
  tenantId: string;
  primaryUserId: string | null;
}

@ObjectType('RemoteHelpSupport', { description: "Whether Remote Help runs on a device (its platform, OS version, manufacturer and the tenant's cloud)." })
export class RemoteHelpSupport {
  @Field() supported: boolean;
  @Field(() => String, { nullable: true, description: 'Why not, when unsupported.' }) reason: string | null;
}
