import { Args, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { UserEntity } from './user.entity';
import { User, UserProfile } from './user.model';
import { UserService } from './user.service';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly users: UserService) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null for a dedicated-device caller.' })
  me(@CurrentCaller() caller: Caller) {
    return caller.kind === 'user' ? this.users.findInTenant(caller.tenantId, caller.userId) : null;
  }

  @Query(() => User, { nullable: true })
  user(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.users.findInTenant(tenantOf(caller), id);
  }

  @ResolveField(() => UserProfile)
  profile(@Parent() user: UserEntity) {
    return this.users.profileOf(user);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.users.findInTenant(tenantOf(caller), ref.id);
  }
}
