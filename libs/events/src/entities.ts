import { OutboxEventEntity } from './outbox.entity';
import { ProcessedEventEntity } from './processed-event.entity';

/** Add to each service's DataSource `entities` (the tables come from EventsInfrastructure1700000000000). */
export const EVENTS_ENTITIES = [OutboxEventEntity, ProcessedEventEntity];
