import { OUTBOX_KIND, PUBLISHES_ATTRIBUTE, QUEUED_UNIT_KIND } from '@budgeting/platform/outbox';

/**
 * The records the outbox relay is handed: the event filter of the table stream's event source
 * mapping (infra/triggers.ts, through `@budgeting/app/wiring`) and of the local stream poller
 * (local/events-stream-relay.ts), so both drop the same records before the relay runs.
 *
 * The relay publishes only INSERTs whose new image is an outbox item: `kind` outbox, or any
 * item marked PUBLISHES_ATTRIBUTE (outboxItemOf in outbox-relay.ts, which keeps checking, so a
 * record let through by mistake is still skipped), and hands the work queue the INSERTs of
 * job units written in a change's transaction (`kind` job-unit, queuedUnitOf). Everything else on the stream (totals and
 * counters, idempotency records, MODIFYs, the TTL expiry of every outbox item, a REMOVE with
 * no new image) would invoke the function only to be skipped; Lambda drops it before the
 * invocation and moves the checkpoint past it. Patterns are ORed; inside one, keys are ANDed
 * and an array lists the accepted values. Syntax: AWS Lambda Developer Guide, "Control which
 * events Lambda sends to your function" and "Using event filtering with a DynamoDB event
 * source" (records are matched in their DynamoDB JSON: `{"kind":{"S":"outbox"}}`).
 *
 * The patterns look at the `dynamodb` key only: "DynamoDB event source mappings only support
 * filtering on the `dynamodb` key" (that guide's note), so an `eventName` rule is left out even
 * though some examples use one. Nothing is lost by it: a REMOVE (every TTL expiry) carries no
 * NewImage, so it cannot match; a MODIFY of an event-carrying item (none is ever modified: an
 * outbox item is born with its TTL and never touched) would be let through and then skipped by
 * the relay, which publishes INSERTs only.
 */
export type FilterValue = string | boolean;
export interface FilterPattern {
  readonly [key: string]: readonly FilterValue[] | FilterPattern;
}

export const RELAY_FILTER_PATTERNS: readonly FilterPattern[] = [
  { dynamodb: { NewImage: { kind: { S: [OUTBOX_KIND, QUEUED_UNIT_KIND] } } } },
  { dynamodb: { NewImage: { [PUBLISHES_ATTRIBUTE]: { BOOL: [true] } } } },
];

/** Whether Lambda would hand the relay this stream record (in the shape Lambda delivers it). */
export function matchesRelayFilter(record: unknown): boolean {
  return matchesFilterPatterns(record, RELAY_FILTER_PATTERNS);
}

/**
 * Lambda's event filtering, only as far as these patterns use it: exact strings and booleans
 * in arrays, and nested objects. Any other rule (prefix, anything-but, numeric, exists, ...)
 * throws rather than being evaluated differently from Lambda: implement and test it here
 * before a pattern uses it. Validated as a whole, not only along the path a record takes.
 */
export function matchesFilterPatterns(record: unknown, patterns: readonly FilterPattern[]): boolean {
  return filterOf(patterns)(record);
}

/** The same check as a predicate, the patterns validated once (the local poller's, per record). */
export function filterOf(patterns: readonly FilterPattern[], nameOf: (index: number) => string = () => 'pattern'): (record: unknown) => boolean {
  patterns.forEach((p, i) => assertSupported(p, nameOf(i)));
  return (record) => patterns.some((p) => matches(record, p));
}

/** Throws on anything outside the subset matchesFilterPatterns evaluates. */
export function assertSupported(pattern: unknown, path: string): asserts pattern is FilterPattern {
  if (!isObject(pattern)) throw new Error(`filter ${path}: expected an object`);
  for (const [key, rule] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (Array.isArray(rule)) {
      if (rule.length === 0) throw new Error(`filter ${at}: an empty list matches nothing`);
      for (const value of rule) {
        if (typeof value !== 'string' && typeof value !== 'boolean') {
          throw new Error(`filter ${at}: ${JSON.stringify(value)} is not supported here (exact strings and booleans only)`);
        }
      }
    } else assertSupported(rule, at);
  }
}

function matches(value: unknown, pattern: FilterPattern): boolean {
  if (!isObject(value)) return false;
  return Object.entries(pattern).every(([key, rule]) => {
    const field = (value as Record<string, unknown>)[key];
    if (isValueList(rule)) {
      // A list in the record matches if any of its elements does (as in Lambda / EventBridge).
      const candidates = Array.isArray(field) ? field : [field];
      return candidates.some((c) => rule.includes(c as FilterValue));
    }
    return matches(field, rule);
  });
}

const isValueList = (rule: readonly FilterValue[] | FilterPattern): rule is readonly FilterValue[] => Array.isArray(rule);
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
