import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ComplianceState, DenialReason, EndReason, RemoteHelpPermission, SessionMode, SessionState } from '@remote-help/domain';

registerEnumType(SessionMode, { name: 'SessionMode' });
registerEnumType(SessionState, { name: 'SessionState' });
registerEnumType(EndReason, { name: 'EndReason' });
registerEnumType(ComplianceState, { name: 'ComplianceState' });
registerEnumType(DenialReason, { name: 'DenialReason' });
registerEnumType(RemoteHelpPermission, { name: 'RemoteHelpPermission' });

/** tenant-service's entity, referenced by id (its profile is resolved there). */
@ObjectType('User')
@Directive('@key(fields: "id", resolvable: false)')
export class UserRef {
  @Field(() => ID) id: string;
}

/** tenant-service's entity, referenced by id. */
@ObjectType('Device')
@Directive('@key(fields: "id", resolvable: false)')
export class DeviceRef {
  @Field(() => ID) id: string;
}

@ObjectType('ComplianceWarning')
export class ComplianceWarning {
  @Field(() => ID) deviceId: string;
  @Field(() => ComplianceState) compliance: ComplianceState;
  @Field() message: string;
}

@ObjectType('RemoteHelpSession')
@Directive('@key(fields: "id")')
export class RemoteHelpSession {
  @Field(() => ID) id: string;
  @Field(() => SessionState) state: SessionState;
  @Field(() => SessionMode, { description: 'The control mode now (UNATTENDED for unattended sessions).' }) mode: SessionMode;
  @Field({ description: 'Elevation was granted in this session (it stays true once used).' }) elevated: boolean;
  @Field({ description: 'False when the tenant had disabled chat when the session was requested.' }) chatEnabled: boolean;
  @Field(() => UserRef) helper: UserRef;
  @Field(() => UserRef, { nullable: true, description: 'Null until the sharer joins, and for unattended sessions on dedicated devices.' }) sharer: UserRef | null;
  @Field(() => DeviceRef) device: DeviceRef;
  @Field(() => String, {
    nullable: true,
    description: '8 characters, valid 10 minutes (SESSION_JOIN_TIMEOUT_MS): returned once, to the helper, in the requestSession payload; every later read returns null (only a hash is stored).',
  })
  securityCode: string | null;
  @Field(() => String, { nullable: true, description: 'Why the helper opened it (ticket id, free text, at most 500 characters).' }) reason: string | null;
  @Field(() => ComplianceWarning, { nullable: true, description: 'Set when the device was not compliant when the session was requested.' }) complianceWarning: ComplianceWarning | null;
  @Field(() => SessionMode, { nullable: true, description: "The helper's request for full control, waiting for the sharer's answer (respondToControlRequest)." }) pendingControlRequest: SessionMode | null;
  @Field({ description: 'Whether the device was enrolled in device management when the session was requested (false: a non-blocking warning, limited reports).' }) deviceEnrolled: boolean;
  @Field() requestedAt: Date;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field(() => EndReason, { nullable: true }) endReason: EndReason | null;
}

/** rbac-service's value type, returned here too (hence @shareable, with the same fields). */
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

@InputType('RequestSessionInput')
export class RequestSessionInput {
  @Field(() => ID) deviceId: string;
  @Field(() => SessionMode) mode: SessionMode;
  @Field(() => Boolean, { nullable: true, description: 'Needed to go on with a non-compliant device.' }) acknowledgeComplianceWarning?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Why the helper opens the session (ticket id, free text), at most 500 characters.' }) reason?: string | null;
}

@ObjectType('RequestSessionPayload')
export class RequestSessionPayload {
  @Field(() => RemoteHelpSession, { nullable: true, description: 'The new session, with its security code; null when the decision denies it.' }) session: RemoteHelpSession | null;
  @Field(() => AuthorizationDecision) decision: AuthorizationDecision;
  @Field(() => ComplianceWarning, { nullable: true, description: 'The device is not compliant: repeat the request with acknowledgeComplianceWarning: true to go on.' }) complianceWarning: ComplianceWarning | null;
  @Field(() => [String], { description: 'Non-blocking warnings for the helper, e.g. that the device is not enrolled in device management.' }) warnings: string[];
}

@ObjectType('ChatMessage')
export class ChatMessage {
  @Field(() => ID) id: string;
  @Field(() => ID) sessionId: string;
  @Field(() => UserRef) from: UserRef;
  @Field() text: string;
  @Field() sentAt: Date;
}
