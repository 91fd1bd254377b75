/** Session vocabulary shared by the services (values match the public GraphQL enums). */
export enum SessionMode {
  VIEW_ONLY = 'VIEW_ONLY',
  FULL_CONTROL = 'FULL_CONTROL',
  UNATTENDED = 'UNATTENDED',
}

export enum SessionState {
  WAITING_FOR_SHARER = 'WAITING_FOR_SHARER',
  PENDING_CONSENT = 'PENDING_CONSENT',
  ACTIVE = 'ACTIVE',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  ENDED = 'ENDED',
}

export enum EndReason {
  HELPER_ENDED = 'HELPER_ENDED',
  SHARER_ENDED = 'SHARER_ENDED',
  DISCONNECTED = 'DISCONNECTED',
  EXPIRED = 'EXPIRED',
  ADMIN_ENDED = 'ADMIN_ENDED',
}
