import { Field, ID, InputType } from '@nestjs/graphql';
import { LicenseKind } from '@remote-help/domain';

@InputType('UpsertUserInput', {
  description: 'Creates a user (no id) or updates that user of the tenant. On an update, an optional field left out keeps its value and null clears it.',
})
export class UpsertUserInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field({ description: "name@domain, where domain is one of the tenant's verified domains; unique in the tenant." }) userPrincipalName: string;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) surname?: string | null;
  @Field({ description: '1 to 256 characters.' }) displayName: string;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true, description: 'An absolute http(s) URL.' }) profilePictureUrl?: string | null;
}

@InputType('AssignLicenseInput', { description: 'Assigning a kind the user already holds replaces its dates.' })
export class AssignLicenseInput {
  @Field(() => ID) userId: string;
  @Field(() => LicenseKind) kind: LicenseKind;
  @Field(() => Date, { nullable: true, description: 'Default: now.' }) activeFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Later than activeFrom; null: never expires.' }) expiresAt?: Date | null;
}
