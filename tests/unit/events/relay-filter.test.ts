import { marshall } from '@aws-sdk/util-dynamodb';
import { OUTBOX_KIND, PUBLISHES_ATTRIBUTE, QUEUED_UNIT_KIND } from '@budgeting/platform/outbox';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outboxItemOf, queuedUnitOf } from '../../../packages/app/src/events/outbox-relay';
import { matchesFilterPatterns, matchesRelayFilter, RELAY_FILTER_PATTERNS, type FilterPattern } from '../../../packages/app/src/events/relay-filter';
import { RELAY_FILTER_PATTERNS as WIRED_PATTERNS } from '../../../packages/app/src/wiring';
import { sampleStreamEvent, streamRecord } from './stream-records';

/**
 * The stream mapping's event filter against the relay's own test (outboxItemOf): whatever the
 * relay would publish (or queue: job units, queuedUnitOf) passes the filter, and no record the
 * relay skips for its event name or kind does. Records are generated over the shapes the table
 * writes: outbox items, items marked `publishes`, job units, other kinds, attributes of other
 * types, INSERT / MODIFY / REMOVE.
 */
const kinds = fc.oneof(fc.constant(OUTBOX_KIND), fc.constant(QUEUED_UNIT_KIND), fc.constantFrom('expense', 'totals', 'idempotency', 'rate', 'outboxx', 'Outbox', ''), fc.string());
const attribute = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
const items = fc.record(
  {
    pk: fc.string({ minLength: 1 }),
    sk: fc.string({ minLength: 1 }),
    kind: fc.oneof(kinds, attribute),
    [PUBLISHES_ATTRIBUTE]: fc.oneof(fc.constant(true), fc.constant(false), fc.constant('true'), fc.constant(1)),
    source: fc.oneof(fc.constant('budgeting.expenses'), attribute),
    detailType: fc.constant('expense.recorded'),
    detail: fc.oneof(fc.constant('{"id":"e1","type":"expense.recorded"}'), attribute),
    createdAt: fc.constant('2026-11-24T12:00:00.000Z'),
    job: fc.oneof(fc.constant('budgets-invitation-mail'), attribute),
    unit: fc.oneof(fc.constant('{"nonce":"n1"}'), attribute),
    tick: fc.oneof(fc.constant('2026-11-24T12:00:00.000Z'), attribute),
    amount: fc.integer(),
  },
  { requiredKeys: ['pk', 'sk'] },
);
const eventNames = fc.constantFrom('INSERT', 'MODIFY', 'REMOVE') as fc.Arbitrary<'INSERT' | 'MODIFY' | 'REMOVE'>;
/** What the relay publishes: an outbox item, or an item of any kind marked `publishes`, inserted. */
const eventItems = fc
  .tuple(items, fc.boolean(), fc.string({ minLength: 1 }))
  .map(([item, outbox, source]) =>
    outbox ? { ...item, kind: OUTBOX_KIND, source, detail: '{"id":"e1"}' } : { ...item, [PUBLISHES_ATTRIBUTE]: true, source, detail: '{"id":"e1"}' },
  );
const records = fc.oneof(
  fc.tuple(items, eventNames).map(([item, eventName]) => streamRecord(item, eventName)),
  fc.tuple(eventItems, eventNames).map(([item, eventName]) => streamRecord(item, eventName)),
);

/**
 * The cheap part of outboxItemOf without its INSERT check, spelled out on the record's DynamoDB
 * JSON: a new image that is an outbox item or marked `publishes` (DynamoDB mappings filter on the
 * `dynamodb` key only; a REMOVE has no new image, a MODIFY of such an item is the relay's to skip).
 */
const carriesAnEventImage = (r: DynamoDBRecord) =>
  r.dynamodb?.NewImage?.kind?.S === OUTBOX_KIND ||
  r.dynamodb?.NewImage?.kind?.S === QUEUED_UNIT_KIND ||
  r.dynamodb?.NewImage?.[PUBLISHES_ATTRIBUTE]?.BOOL === true;

describe('the relay filter (the stream mapping\'s FilterCriteria)', () => {
  it('lets through every record the relay would publish', () => {
    let published = 0;
    fc.assert(
      fc.property(records, (record) => {
        if (!outboxItemOf(record) && !queuedUnitOf(record)) return;
        published++;
        expect(matchesRelayFilter(record)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    expect(published, 'the generator makes publishable records').toBeGreaterThan(200);
  });

  it('lets through exactly the records whose new image is an outbox item, a job unit or a `publishes` item: no REMOVE, nothing of another kind', () => {
    let kept = 0;
    fc.assert(
      fc.property(records, (record) => {
        const expected = carriesAnEventImage(record);
        if (expected) kept++;
        expect(matchesRelayFilter(record)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
    expect(kept, 'both outcomes are generated').toBeGreaterThan(100);
    expect(kept).toBeLessThan(1_800);
  });

  it('drops REMOVEs (TTL expiries) of outbox items and items of other kinds; a MODIFY of one reaches the relay, which skips it', () => {
    const outbox = { pk: 'expenses#outbox#e1', sk: 'expenses#outbox', kind: OUTBOX_KIND, source: 'budgeting.expenses', detail: '{}' };
    const ttlExpiry = streamRecord(outbox, 'REMOVE');
    ttlExpiry.dynamodb!.OldImage = marshall(outbox) as never;
    ttlExpiry.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
    expect(matchesRelayFilter(streamRecord(outbox))).toBe(true);
    expect(matchesRelayFilter(streamRecord({ ...outbox, kind: 'change', [PUBLISHES_ATTRIBUTE]: true }))).toBe(true);
    const modify = streamRecord(outbox, 'MODIFY');
    expect(matchesRelayFilter(modify)).toBe(true);
    expect(outboxItemOf(modify)).toBeUndefined();
    expect(matchesRelayFilter(ttlExpiry)).toBe(false);
    expect(matchesRelayFilter(streamRecord({ ...outbox, kind: 'totals' }))).toBe(false);
    expect(matchesRelayFilter(streamRecord({ ...outbox, kind: 'change', [PUBLISHES_ATTRIBUTE]: 'true' }))).toBe(false);
    // The records of Lambda's own sample event are none of ours.
    expect(sampleStreamEvent().Records.filter(matchesRelayFilter)).toEqual([]);
  });

  it('is what infra deploys: the patterns `@budgeting/app/wiring` hands infra/triggers.ts', () => {
    expect(WIRED_PATTERNS).toBe(RELAY_FILTER_PATTERNS);
    expect(RELAY_FILTER_PATTERNS).toEqual([
      { dynamodb: { NewImage: { kind: { S: ['outbox', 'job-unit'] } } } },
      { dynamodb: { NewImage: { publishes: { BOOL: [true] } } } },
    ]);
  });
});

describe('the matcher: the subset of Lambda event filtering the patterns use', () => {
  const record = { eventName: 'INSERT', dynamodb: { NewImage: { tags: { SS: ['a', 'b'] }, n: { N: '5' } } } };

  it('ANDs the keys of a pattern, ORs the patterns and the values of a list, matches a list in the record by any element', () => {
    expect(matchesFilterPatterns(record, [{ eventName: ['MODIFY', 'INSERT'], dynamodb: { NewImage: { n: { N: ['5'] } } } }])).toBe(true);
    expect(matchesFilterPatterns(record, [{ eventName: ['INSERT'], dynamodb: { NewImage: { n: { N: ['6'] } } } }])).toBe(false);
    expect(matchesFilterPatterns(record, [{ eventName: ['REMOVE'] }, { dynamodb: { NewImage: { tags: { SS: ['b'] } } } }])).toBe(true);
    expect(matchesFilterPatterns(record, [{ dynamodb: { NewImage: { missing: { S: ['x'] } } } }])).toBe(false);
    expect(matchesFilterPatterns(record, [{ dynamodb: { NewImage: { n: ['5'] } } }])).toBe(false); // an object is no value
    expect(matchesFilterPatterns({ flag: 'true' }, [{ flag: [true] }])).toBe(false); // types are not coerced
    expect(matchesFilterPatterns(record, [])).toBe(false);
  });

  it.each([
    ['prefix', { prefix: 'IN' }],
    ['anything-but', { 'anything-but': ['REMOVE'] }],
    ['exists', { exists: true }],
    ['numeric', { numeric: ['>', 0] }],
    ['a number', 5],
    ['null', null],
  ])('refuses %s rather than evaluating it differently from Lambda', (_name, rule) => {
    const pattern = { eventName: ['MODIFY'], dynamodb: { Keys: { pk: { S: [rule] } } } } as unknown as FilterPattern;
    // Refused even where the record fails an earlier key: the whole pattern is checked.
    expect(() => matchesFilterPatterns(record, [pattern])).toThrow(/pattern\.dynamodb\.Keys\.pk\.S: .* is not supported/);
  });

  it('refuses an empty list and a bare value', () => {
    expect(() => matchesFilterPatterns(record, [{ eventName: [] }])).toThrow(/empty list/);
    expect(() => matchesFilterPatterns(record, [{ eventName: 'INSERT' } as unknown as FilterPattern])).toThrow(/expected an object/);
  });
});
