import type { z } from 'zod';
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
  /**
   * Builds the schemas below (importing zod, and the payload schema when given as a loader);
   * once, on first use. createEvent and parseEnvelope call it; code reading `header` or
   * `envelope` itself (the event catalog) awaits it first.
   */
  load(): Promise<void>;
  /** The payload schema: available at once when given directly, after load() when given as a loader. */
  data: TData;
  /** The envelope without its payload; `data` is parsed by the payload schema (see parseWith). After load(). */
  header: z.ZodType<Omit<EventEnvelope<TType>, 'data'>>;
  /** The whole envelope as one schema, for documentation and the catalog. After load(). */
  envelope: z.ZodType;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  data: TData;
}

/**
 * `data` may be given as a loader (a function, usually `async () => (await import('./schemas/
 * events.schemas')).someEvent()`): the payload schema, the envelope's and zod itself are then
 * loaded on the first use of the contract (publishing, receiving, documenting), not when the
 * module that declares it is imported. A cold HTTP request that publishes nothing never loads
 * zod for them (issue 11: every module's contracts are imported at start).
 */
export function defineEvent<TType extends string, TData extends z.ZodType>(
  module: string,
  type: TType,
  version: number,
  data: TData | (() => TData | Promise<TData>),
): EventContract<TType, TData> {
  let built: { data: TData; header: EventContract<TType>['header']; envelope: z.ZodType } | undefined;
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const [schemas, payload] = await Promise.all([import('./envelope-schema'), typeof data === 'function' ? data() : data]);
      const header = schemas.envelopeHeader(type, version);
      built = { data: payload, header, envelope: schemas.wholeEnvelope(header, payload) };
    })().catch((err: unknown) => {
      loading = undefined; // a failed import may be retried by the next use
      throw err;
    }));
  const schemas = () => {
    if (!built) throw new Error(`event contract ${type} v${version}: its schemas are used before load()`);
    return built;
  };
  return {
    module,
    type,
    version,
    source: `budgeting.${module}`,
    load,
    get data() {
      return typeof data === 'function' ? schemas().data : data;
    },
    get header() {
      return schemas().header;
    },
    get envelope() {
      return schemas().envelope;
    },
  };
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

/** Builds a validated envelope; an invalid payload is refused (a ZodError) before anything is written. */
export async function createEvent<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  data: z.input<TData>,
  clock: Clock,
): Promise<EventEnvelope<TType, z.infer<TData>>> {
  await contract.load();
  const now = clock.now();
  const parsed = parseWith(contract, {
    id: newId(now.getTime()),
    type: contract.type,
    version: contract.version,
    occurredAt: now.toISOString(),
    data,
  });
  if (!parsed.ok) throw (await import('./envelope-schema')).zodError(parsed.zodIssues);
  const { event } = parsed;
  const bytes = 14 + utf8Bytes(contract.source) + utf8Bytes(contract.type) + utf8Bytes(JSON.stringify(event));
  if (bytes > MAX_EVENT_ENTRY_BYTES) throw new EventTooLargeError(contract.type, bytes);
  return event;
}

/**
 * Validates a received detail against its contract (the receiving side of "validated when
 * published and when received"). Never throws: the caller logs and refuses what fails.
 */
export async function parseEnvelope<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  detail: unknown,
): Promise<{ ok: true; event: EventEnvelope<TType, z.infer<TData>> } | { ok: false; issues: { path: string; message: string }[] }> {
  await contract.load();
  const parsed = parseWith(contract, detail);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    issues: parsed.zodIssues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

/**
 * Parses the header and the payload with their own schemas and joins them: zod cannot type one
 * object schema's output as EventEnvelope while TData is still a type parameter, and this way
 * needs no cast. Payload issues keep their `data.` path.
 */
function parseWith<TType extends string, TData extends z.ZodType>(
  contract: EventContract<TType, TData>,
  input: unknown,
): { ok: true; event: EventEnvelope<TType, z.infer<TData>> } | { ok: false; zodIssues: z.core.$ZodIssue[] } {
  const header = contract.header.safeParse(input);
  if (!isRecord(input)) return { ok: false, zodIssues: header.success ? [] : header.error.issues };
  const payload = contract.data.safeParse(input.data);
  if (header.success && payload.success) return { ok: true, event: { ...header.data, data: payload.data } };
  return {
    ok: false,
    zodIssues: [
      ...(header.success ? [] : header.error.issues),
      ...(payload.success ? [] : payload.error.issues.map((i) => ({ ...i, path: ['data', ...i.path] }))),
    ],
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

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
    typeof v.load === 'function'
  );
}

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
