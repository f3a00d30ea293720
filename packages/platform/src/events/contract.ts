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
  // The one cast left on purpose: zod cannot relate its object output to EventEnvelope while
  // TData is still a type parameter; for any concrete TData the two types are the same.
  const envelope = z.object({
    id: z.string().min(1),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime(),
    data,
  }) as unknown as z.ZodType<EventEnvelope<TType, z.infer<TData>>>;
  return { module, type, version, source: `budgeting.${module}`, data, envelope };
}

/**
 * EventBridge refuses a PutEvents entry over 256 KB (Source + DetailType + Detail + 14 bytes
 * for Time, UTF-8). An event that large could never be relayed and would block its stream
 * shard, so it is refused when published, before its change can commit.
 */
export const MAX_EVENT_ENTRY_BYTES = 256 * 1024;

export class EventTooLargeError extends Error {
  constructor(type: string, bytes: number) {
    super(`Event ${type} is ${bytes} bytes; EventBridge accepts at most ${MAX_EVENT_ENTRY_BYTES}`);
    this.name = 'EventTooLargeError';
  }
}

/** Builds a validated envelope; an invalid payload throws before anything is written. */
export function createEvent<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  data: z.input<TData>,
  clock: Clock,
): EventEnvelope<TType, z.infer<TData>> {
  const now = clock.now();
  const event = contract.envelope.parse({
    id: newId(now.getTime()),
    type: contract.type,
    version: contract.version,
    occurredAt: now.toISOString(),
    data,
  });
  const bytes = 14 + utf8Bytes(contract.source) + utf8Bytes(contract.type) + utf8Bytes(JSON.stringify(event));
  if (bytes > MAX_EVENT_ENTRY_BYTES) throw new EventTooLargeError(contract.type, bytes);
  return event;
}

/**
 * Validates a received detail against its contract (the receiving side of "validated when
 * published and when received"). Never throws: the caller logs and refuses what fails.
 */
export function parseEnvelope<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  detail: unknown,
): { ok: true; event: EventEnvelope<TType, z.infer<TData>> } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = contract.envelope.safeParse(detail);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

/** Recognises a contract among a module's exports (the event catalog scans public entries). */
export function isEventContract(value: unknown): value is EventContract {
  const v = value as Partial<EventContract> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    typeof v.module === 'string' &&
    typeof v.type === 'string' &&
    typeof v.version === 'number' &&
    typeof v.source === 'string' &&
    v.data instanceof z.ZodType &&
    v.envelope instanceof z.ZodType
  );
}

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
