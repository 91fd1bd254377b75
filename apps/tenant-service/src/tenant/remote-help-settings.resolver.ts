import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '../user/user.model';
import { UserService } from '../user/user.service';
import { RemoteHelpSettings } from './tenant.model';

@Resolver(() => RemoteHelpSettings)
export class RemoteHelpSettingsResolver {
  constructor(private readonly users: UserService) {}

  @ResolveField(() => User, { nullable: true, description: 'Who last changed the settings.' })
  updatedBy(@Parent() settings: RemoteHelpSettings & { updatedBy?: string | null }) {
    const id = settings.updatedBy ?? settings.updatedById;
    return id ? this.users.findInTenant(settings.tenantId, id) : null;
  }
}
