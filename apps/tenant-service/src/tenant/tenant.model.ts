import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CloudEnvironment } from '@remote-help/domain';

registerEnumType(CloudEnvironment, { name: 'CloudEnvironment' });

@ObjectType('RemoteHelpSettings')
export class RemoteHelpSettings {
  tenantId: string;
  @Field({ description: 'Off until an administrator enables it.' }) remoteHelpEnabled: boolean;
  @Field({ description: 'Allow sessions with devices that are not enrolled in device management.' }) allowUnenrolledDevices: boolean;
  @Field({ description: 'Removes chat from sessions.' }) chatDisabled: boolean;
  @Field({ description: 'Default false: requestSession needs a reason (a ticket id); without one it is denied with REASON_REQUIRED.' }) requireReason: boolean;
  @Field({ nullable: true }) updatedAt?: Date;
  updatedById?: string | null;
}

@ObjectType('Tenant')
@Directive('@key(fields: "id")')
export class Tenant {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => [String]) verifiedDomains: string[];
  @Field(() => CloudEnvironment) cloud: CloudEnvironment;
}
