import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

/** A tenant's count of active sessions, as pushed to dashboards (ActiveSessionCountData). */
@ObjectType('ActiveSessionCount')
export class ActiveSessionCount {
  @Field(() => ID) tenantId: string;
  @Field(() => Int) count: number;
  @Field({ description: 'When the count changed.' }) at: Date;
}
