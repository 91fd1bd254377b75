import { ArgsType, Field, Int } from '@nestjs/graphql';
import { afterIdOf, pageSizeOf, searchTermOf } from './directory.rules';

/** The arguments of the directory lists (`users`, `devices`, `groups`). */
@ArgsType()
export class DirectoryListArgs {
  @Field(() => String, { nullable: true }) search?: string | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true, description: 'The id of the last one of the previous page.' }) after?: string | null;
}

/** The checked arguments (BAD_USER_INPUT otherwise): search term, page size, id to start after. */
export function listArgsOf(a: DirectoryListArgs): { search: string | null; first: number; after: string | null } {
  return { search: searchTermOf(a.search), first: pageSizeOf(a.first), after: afterIdOf(a.after) };
}
