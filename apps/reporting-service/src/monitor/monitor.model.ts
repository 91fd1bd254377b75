import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { SessionMode } from '@remote-help/domain';

@ObjectType('DailySessionStats')
export class DailySessionStats {
  @Field({ description: 'YYYY-MM-DD, UTC.' }) date: string;
  @Field(() => Int, { description: 'Sessions requested that day (within the range).' }) sessions: number;
  @Field(() => Int, { description: 'Sum of the durations of those sessions that started and ended.' }) totalDurationSeconds: number;
}

@ObjectType('SessionTypeCount')
export class SessionTypeCount {
  @Field(() => SessionMode) sessionType: SessionMode;
  @Field(() => Int) count: number;
}

@ObjectType('RemoteHelpMonitor')
export class RemoteHelpMonitor {
  @Field(() => Int, { description: 'Sessions ACTIVE now.' }) activeSessions: number;
  @Field(() => Int, { description: 'Sessions requested in the range.' }) totalSessions: number;
  @Field(() => Float, { nullable: true, description: 'Mean duration of the sessions of the range that started and ended; null when none did.' })
  averageDurationSeconds: number | null;
  @Field(() => [SessionTypeCount], { description: 'Sessions of the range per session type (every type, zeros included).' }) sessionsByType: SessionTypeCount[];
  @Field(() => [DailySessionStats], { description: 'One entry per UTC date the range touches, oldest first (zeros included).' }) daily: DailySessionStats[];
}
