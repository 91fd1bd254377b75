import { Field, ID, InputType } from '@nestjs/graphql';
import { ComplianceState, Platform } from '@remote-help/domain';

@InputType('UpsertDeviceInput', {
  description: 'Creates a device (no id) or updates that device of the tenant. On an update, manufacturer or primaryUserId left out keep their value and null clears them.',
})
export class UpsertDeviceInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field({ description: '1 to 256 characters.' }) displayName: string;
  @Field(() => Platform) platform: Platform;
  @Field({ description: "e.g. '10.0.22631' (Windows 11), '14.5' (macOS)." }) osVersion: string;
  @Field(() => String, { nullable: true, description: 'Android dedicated devices are supported from Samsung or Zebra only.' }) manufacturer?: string | null;
  @Field() enrolled: boolean;
  @Field() entraRegistered: boolean;
  @Field(() => ComplianceState) compliance: ComplianceState;
  @Field(() => ID, { nullable: true, description: 'A user of this tenant; null for a dedicated device with no user.' }) primaryUserId?: string | null;
}
