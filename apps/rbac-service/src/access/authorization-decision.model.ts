import { Directive, Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DenialReason, RemoteHelpPermission, SessionMode } from '@remote-help/domain';

registerEnumType(DenialReason, { name: 'DenialReason' });
registerEnumType(SessionMode, { name: 'SessionMode' });

/** A value type: session-service returns it too (RequestSessionPayload.decision), hence @shareable. */
@ObjectType('AuthorizationDecision')
@Directive('@shareable')
export class AuthorizationDecision {
  @Field() allowed: boolean;
  @Field(() => [DenialReason], { description: 'Every reason that applies; empty when allowed.' }) reasons: DenialReason[];
  @Field(() => [RemoteHelpPermission], { description: 'Effective, over this target.' }) grantedPermissions: RemoteHelpPermission[];
  @Field(() => [RemoteHelpPermission], {
    description: 'Allowed, but only after approval: the gated permissions this mode needs when no assignment grants them without approval. Empty when no approval is needed.',
  })
  approvalRequiredFor: RemoteHelpPermission[];
}
