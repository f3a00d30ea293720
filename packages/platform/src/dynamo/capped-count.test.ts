import { describe, expect, it } from 'vitest';
import { capRefused, giveBackPlace, takePlace } from './capped-count';

// What DynamoDB does with these items is tested against DynamoDB Local by each cap's integration
// test (tests/integration/**/*cap*.test.ts, personal-tokens, comments ...); here: what each option asks of it.
const Key = { pk: 'webhooks#owner#u1', sk: 'webhooks#count' };

describe('takePlace', () => {
  it('conditions one more on the count being below max; an absent item stands for `absent` (default 0) and is started at it', () => {
    const counted = takePlace({ Key, max: 20, kind: 'webhook-count' }).Update;
    expect(counted.Key).toBe(Key);
    expect(counted.ConditionExpression).toBe('(attribute_not_exists(#count) AND :absent < :max) OR #count < :max');
    expect(counted.UpdateExpression).toBe('SET kind = :kind, #count = if_not_exists(#count, :absent) + :one');
    expect(counted.ExpressionAttributeValues).toEqual({ ':kind': 'webhook-count', ':one': 1, ':max': 20, ':absent': 0 });
    expect(takePlace({ Key, max: 20, absent: 7 }).Update.ExpressionAttributeValues[':absent']).toBe(7);
  });

  it("'refused': an absent item refuses (the module starts it before), and no kind is written when none is given", () => {
    const update = takePlace({ Key, max: 100, absent: 'refused' }).Update;
    expect(update.ConditionExpression).toBe('#count < :max');
    expect(update.UpdateExpression).toBe('SET #count = #count + :one');
    expect(update.ExpressionAttributeValues).toEqual({ ':one': 1, ':max': 100 });
  });

  it('carries further ADD clauses on the same item, with their values', () => {
    const update = takePlace({ Key, max: 200, kind: 'comment-count' }, { add: 'participants :author', values: { ':author': new Set(['u1']) } }).Update;
    expect(update.UpdateExpression).toBe('SET kind = :kind, #count = if_not_exists(#count, :absent) + :one ADD participants :author');
    expect(update.ExpressionAttributeValues[':author']).toEqual(new Set(['u1']));
  });
});

describe('giveBackPlace', () => {
  it('takes one off without a condition; an absent item stands for at least the member deleted, so it never starts below 0', () => {
    const update = giveBackPlace({ Key, kind: 'webhook-count' }).Update;
    expect(update.ConditionExpression).toBeUndefined();
    expect(update.UpdateExpression).toBe('SET kind = :kind, #count = if_not_exists(#count, :before) - :one');
    expect(update.ExpressionAttributeValues[':before']).toBe(1);
    expect(giveBackPlace({ Key, absent: 0 }).Update.ExpressionAttributeValues[':before']).toBe(1);
    expect(giveBackPlace({ Key, absent: 'refused' }).Update.ExpressionAttributeValues[':before']).toBe(1);
    expect(giveBackPlace({ Key, absent: 5 }).Update.ExpressionAttributeValues[':before']).toBe(5);
  });
});

describe('capRefused', () => {
  const cancelled = (codes: string[]) => Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

  it("is true only when the count's own item (its index) failed its condition", () => {
    expect(capRefused(cancelled(['None', 'ConditionalCheckFailed']), 1)).toBe(true);
    expect(capRefused(cancelled(['ConditionalCheckFailed', 'None']), 1)).toBe(false);
    expect(capRefused(cancelled(['None', 'TransactionConflict']), 1)).toBe(false);
    expect(capRefused(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }), 0)).toBe(false);
  });
});
