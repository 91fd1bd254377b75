import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { forbidden, unauthenticated } from './errors';

export type UserCaller = Extract<Caller, { kind: 'user' }>;
export type DeviceCaller = Extract<Caller, { kind: 'device' }>;

function callerOf(ctx: ExecutionContext): Caller | undefined {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext().caller;
  return ctx.switchToHttp().getRequest().caller;
}

/** The verified caller of this request (from the gateway's internal token). */
export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const caller = callerOf(ctx);
  if (!caller) throw unauthenticated();
  return caller;
});

/** The tenant every operation of this caller is confined to. */
export function tenantOf(caller: Caller): string {
  if (!caller.tenantId) throw unauthenticated('the caller belongs to no tenant');
  return caller.tenantId;
}

export function requireUser(caller: Caller): UserCaller {
  if (caller.kind !== 'user') throw forbidden('this operation needs a signed-in user');
  return caller;
}
