import { Field, InputType } from '@nestjs/graphql';

@InputType('UpdateRemoteHelpSettingsInput', { description: 'Only the fields given change; null or absent keeps the current value.' })
export class UpdateRemoteHelpSettingsInput {
  @Field(() => Boolean, { nullable: true, description: "Refused on GCC High and DoD tenants: Remote Help isn't supported there." }) remoteHelpEnabled?: boolean | null;
  @Field(() => Boolean, { nullable: true }) allowUnenrolledDevices?: boolean | null;
  @Field(() => Boolean, { nullable: true }) chatDisabled?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'requestSession needs a reason (a ticket id).' }) requireReason?: boolean | null;
}
