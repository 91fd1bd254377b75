import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LicenseKind } from '@remote-help/domain';

registerEnumType(LicenseKind, { name: 'LicenseKind' });

/** The organisation profile that helper and sharer see of each other. */
@ObjectType('UserProfile')
export class UserProfile {
  @Field({ nullable: true }) givenName?: string;
  @Field({ nullable: true }) surname?: string;
  @Field() displayName: string;
  @Field({ nullable: true }) jobTitle?: string;
  @Field({ nullable: true }) companyName?: string;
  @Field({ nullable: true, description: "The domain of the user's principal name, when it is a verified domain of the tenant." }) verifiedDomain?: string;
  @Field({ nullable: true }) profilePictureUrl?: string;
}

@ObjectType('License', { description: 'A Remote Help licence: the Remote Help add-on or the Intune Suite.' })
export class License {
  @Field(() => LicenseKind) kind: LicenseKind;
  @Field({ description: 'A purchase can take 30 minutes to 8 hours to become active.' }) activeFrom: Date;
  @Field(() => Date, { nullable: true, description: 'Null: never expires.' }) expiresAt: Date | null;
}

@ObjectType('User')
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID) id: string;
  @Field() userPrincipalName: string;
  tenantId: string;
}
