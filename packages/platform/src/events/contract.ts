import { z } from 'zod';
import type { Clock } from '../clock';
import { newId } from '../ids';

/**
 * A domain event's contract: its name, version, publishing module and payload schema.
 * On the bus: source = "budgeting.<module>", detail-type = type, detail = the envelope.
 */
export interface EventContract<TType extends string = string, TData extends z.ZodType = z.ZodType> {
  module: string;
  type: TType;
  version: number;
  source: string;
  data: TData;
  envelope: z.ZodType<EventEnvelope<TType, z.infer<TData>>>;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  data: TData;
}

export function defineEvent<TType extends string, TData extends z.ZodType>(
  module: string,
  type: TType,
  version: number,
  data: TData,
): EventContract<TType, TData> {
  const envelope = z.object({
    id: z.string().min(1),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime(),
    data,
  }) as unknown as z.ZodType<EventEnvelope<TType, z.infer<TData>>>;
  return { module, type, version, source: `budgeting.${module}`, data, envelope };
}

/** Builds a validated envelope; an invalid payload throws before anything is written. */
export function createEvent<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  data: z.input<TData>,
  clock: Clock,
): EventEnvelope<TType, z.infer<TData>> {
  const now = clock.now();
  return contract.envelope.parse({
    id: newId(now.getTime()),
    type: contract.type,
    version: contract.version,
    occurredAt: now.toISOString(),
    data,
  });
}
