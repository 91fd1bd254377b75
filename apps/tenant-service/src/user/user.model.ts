import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The organisation profile that helper and sharer see of each other. */
@ObjectType('UserProfile')
export class UserProfile {
  @Field({ nullable: true }) givenName?: string;
  @Field({ nullable: true }) surname?: string;
  @Field() displayName: string;
  @Field({ nullable: true }) jobTitle?: string;
  @Field({ nullable: true }) companyName?: string;
  @Field({ nullable: true }) verifiedDomain?: string;
  @Field({ nullable: true }) profilePictureUrl?: string;
}

@ObjectType('User')
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID) id: string;
  @Field() userPrincipalName: string;
  tenantId: string;
}
