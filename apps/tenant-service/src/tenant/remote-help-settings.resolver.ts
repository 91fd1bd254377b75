import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { mayReadDirectory } from '../directory/directory-access';
import { User } from '../user/user.model';
import { UserService } from '../user/user.service';
import { UpdateRemoteHelpSettingsInput } from './settings.input';
import { SettingsService } from './settings.service';
import { RemoteHelpSettings } from './tenant.model';

@Resolver(() => RemoteHelpSettings)
export class RemoteHelpSettingsResolver {
  constructor(
    private readonly users: UserService,
    private readonly settings: SettingsService,
  ) {}

  @Mutation(() => RemoteHelpSettings, { description: 'MANAGE_SETTINGS. Enabling Remote Help is refused on GCC High and DoD tenants (BAD_USER_INPUT).' })
  updateRemoteHelpSettings(@Args('input') input: UpdateRemoteHelpSettingsInput, @CurrentCaller() caller: Caller) {
    return this.settings.update(caller, input);
  }

  @ResolveField(() => User, { nullable: true, description: 'Who last changed the settings.' })
  updatedBy(@Parent() settings: RemoteHelpSettings & { updatedBy?: string | null }, @CurrentCaller() caller: Caller) {
    const id = settings.updatedBy ?? settings.updatedById;
    return id && mayReadDirectory(caller) ? this.users.findInTenant(settings.tenantId, id) : null;
  }
}
