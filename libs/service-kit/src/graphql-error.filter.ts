import { Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

/**
 * Errors meant for the client (NOT_FOUND, FORBIDDEN, ...) are GraphQL errors: hand them to
 * Apollo as they are, instead of letting Nest's default handler log each one as a server error.
 * Anything else still reaches the default handler and `formatError`, which log it.
 */
@Catch(GraphQLError)
export class GraphQLErrorPassThrough implements GqlExceptionFilter {
  catch(exception: GraphQLError) {
    return exception;
  }
}
