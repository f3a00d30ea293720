import { createEvent, outboxPut, type Clock, type EventContract, type ModuleStore } from '@budgeting/platform';
import type { z } from 'zod';
import type { TransactItem } from '../repository/keys';

/**
 * Turns "this change announces event X" into the outbox Put that goes into the change's own
 * transaction (platform outbox: the event exists exactly when the change committed).
 */
export function outboxWriter(store: ModuleStore, clock: Clock) {
  return <TType extends string, TData extends z.ZodType>(
    contract: EventContract<TType, TData>,
    data: z.input<TData>,
  ): Promise<TransactItem> => createEvent(contract, data, clock).then((event) => outboxPut(store, contract, event));
}

export type OutboxWriter = ReturnType<typeof outboxWriter>;
