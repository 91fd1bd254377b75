import { Injectable } from '@nestjs/common';
import { SessionState } from '@remote-help/domain';
import { Brackets, DataSource } from 'typeorm';
import { SessionEntity } from './session.entity';
import { RemoteHelpSession } from './session.model';

@Injectable()
export class SessionService {
  constructor(private readonly dataSource: DataSource) {}

  /** Sessions in which this user is the helper or the sharer, newest first. */
  async listForParty(tenantId: string, userId: string, states?: SessionState[]): Promise<RemoteHelpSession[]> {
    const q = this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.tenant_id = :tenantId', { tenantId })
      .andWhere(new Brackets((b) => b.where('s.helper_id = :userId', { userId }).orWhere('s.sharer_id = :userId', { userId })))
      .orderBy('s.requested_at', 'DESC')
      .limit(200);
    if (states?.length) q.andWhere('s.state IN (:...states)', { states });
    return (await q.getMany()).map(toModel);
  }
}

export function toModel(s: SessionEntity): RemoteHelpSession {
  return {
    id: s.id,
    state: s.state,
    mode: s.mode,
    elevated: s.elevated,
    chatEnabled: s.chatEnabled,
    helper: { id: s.helperId },
    sharer: s.sharerId ? { id: s.sharerId } : null,
    reason: s.reason ?? undefined,
    requestedAt: s.requestedAt,
    startedAt: s.startedAt ?? undefined,
    endedAt: s.endedAt ?? undefined,
    endReason: s.endReason ?? undefined,
  };
}
