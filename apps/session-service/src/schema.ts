import type { Type } from '@nestjs/common';
import { ChatResolver } from './chat/chat.resolver';
import { SessionResolver } from './session/session.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [SessionResolver, ChatResolver];
export const ORPHANED_TYPES: Type[] = [];
