/**
 * The items of the app's create transaction (POST expense with an Idempotency-Key, the day
 * named, no category), built without the app: the same number of items, kinds, key shapes,
 * index attributes, attribute names and value sizes, so a server writing them costs DynamoDB
 * Local what the app's create costs it, and the app's own code is the only difference left.
 *
 * How the shapes were taken: `npx tsx bench/capture-create-items.ts` records the
 * TransactItems of one real create at the DocumentClient (tests/support/sent-commands.ts), in
 * a warm process (every change counter known, so the account check rides the transaction as a
 * ConditionCheck instead of a read before it), and prints them next to these with each item's
 * request bytes; this file copies that output's attribute names and key formats. Rerun it when
 * the create transaction changes.
 */
import { createHash } from 'node:crypto';
import { newId } from '@budgeting/platform';
import { idHash } from '../../packages/expenses/src/repository/totals-deltas';

type TransactItems = Record<string, Record<string, unknown>>[];

/** As the app: 4 totals shards, 16 change shards, 8 recent slots, 90-day entries, 24-hour keys. */
const TOTALS_SHARDS = 4;
const CHANGE_SHARDS = 16;
const RECENT_SLOTS = 8;
const CHANGE_RETENTION_SECONDS = 90 * 24 * 60 * 60;
const KEY_RETENTION_SECONDS = 24 * 60 * 60;

export interface SameItemsOwner {
  userId: string;
  budgetId: string;
  /** The access token's session (`sid`), which the account check requires not ended; any id of its length does. */
  sessionId?: string;
}

/** A fixed session id of a ULID's length, for owners without one. */
const SOME_SESSION_ID = '01KAAAAAAAAAAAAAAAAAAAAAAA';

/** The two items the transaction's ConditionChecks read: the writer's profile and membership. */
export function ownerItems(owner: SameItemsOwner): Record<string, unknown>[] {
  return [
    { pk: `users#user#${owner.userId}`, sk: 'users#profile', kind: 'user', email: 'same-items@example.com' },
    { pk: `budgets#budget#${owner.budgetId}`, sk: `budgets#member#${owner.userId}`, kind: 'membership', role: 'owner' },
  ];
}

const base64urlSha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const pad2 = (n: number) => String(n).padStart(2, '0');

/** The change shard an expense id falls in (the app's changeShardOf). */
export const changeShard = (expenseId: string) => idHash(expenseId) % CHANGE_SHARDS;

/**
 * The create transaction's items for one expense. `current`: the change shard's counter before
 * this write (the caller keeps it and runs one write per shard at a time, as the app does).
 */
export function sameItemsTransaction(
  TableName: string,
  owner: SameItemsOwner,
  input: { amount: number; occurredOn: string; idempotencyKey: string; body: string },
  current: number,
  now = new Date(),
  id = newId(now.getTime()),
): { expenseId: string; answer: string; location: string; items: TransactItems } {
  const { userId, budgetId } = owner;
  const eventId = newId(now.getTime());
  const at = now.toISOString();
  const seconds = Math.floor(now.getTime() / 1000);
  const shard = changeShard(id);
  const totalsShard = idHash(id) % TOTALS_SHARDS;
  const seq = current + 1;
  const expense = { id, budgetId, amount: input.amount, categoryId: null, occurredOn: input.occurredOn, createdBy: userId, version: 1, createdAt: at, updatedAt: at };
  const answer = JSON.stringify(expense);
  const location = `/v1/budgets/${budgetId}/expenses/${id}`;
  const detail = JSON.stringify({
    id: eventId,
    type: 'expense.recorded',
    version: 1,
    occurredAt: at,
    data: { expenseId: id, budgetId, amount: input.amount, categoryId: null, occurredOn: input.occurredOn, merchant: null, createdBy: userId, version: 1 },
  });
  const day = `d${input.occurredOn.slice(8, 10)}`;
  const items: TransactItems = [
    {
      Put: {
        TableName,
        Item: {
          pk: `expenses#budget#${budgetId}`,
          sk: `expenses#expense#${id}`,
          gsi1pk: `expenses#budget#${budgetId}`,
          gsi1sk: `expenses#date#${input.occurredOn}#${id}`,
          kind: 'expense',
          ...expense,
          // The Idempotency-Key's record rides on the expense item (its id is derived from the key).
          idempotency: {
            fingerprint: base64urlSha256(input.body + input.idempotencyKey),
            expiresAt: seconds + KEY_RETENTION_SECONDS,
            response: { status: 201, headers: { 'content-type': 'application/json', etag: '"1"', location }, body: answer },
          },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // One totals item per month and shard, holding the day's figures too.
    {
      Update: {
        TableName,
        Key: { pk: `expenses#totals#${budgetId}`, sk: `expenses#month#${input.occurredOn.slice(0, 7)}#${totalsShard}` },
        UpdateExpression: 'ADD #a0 :a0, #a1 :a1, #a2 :a2, #a3 :a3',
        // The month's total kept within 2^53 - 1 (the app's totals-cap.ts).
        ConditionExpression: 'attribute_not_exists(#a0) OR #a0 <= :cap',
        ExpressionAttributeNames: { '#a0': 'total', '#a1': `${day}_total`, '#a2': 'uncategorized', '#a3': `${day}_uncategorized` },
        ExpressionAttributeValues: { ':a0': input.amount, ':a1': input.amount, ':a2': input.amount, ':a3': input.amount, ':cap': Number.MAX_SAFE_INTEGER - input.amount },
      },
    },
    {
      Update: {
        TableName,
        Key: { pk: `expenses#changes#${budgetId}`, sk: `expenses#seq#${pad2(shard)}` },
        UpdateExpression: 'SET #seq = :next, #kind = :kind, #slot0 = :recent0',
        ConditionExpression: current === 0 ? 'attribute_not_exists(#seq)' : '#seq = :current',
        ExpressionAttributeNames: { '#seq': 'seq', '#kind': 'kind', '#slot0': `r${seq % RECENT_SLOTS}` },
        ExpressionAttributeValues: {
          ':next': seq,
          ':kind': 'change-counter',
          // A recent slot: `<seq>|<deleted: d or empty>|<expenseId>` (change-log.ts).
          ':recent0': `${seq}||${id}`,
          ...(current === 0 ? {} : { ':current': current }),
        },
      },
    },
    {
      Put: {
        TableName,
        Item: {
          pk: `expenses#changes#${budgetId}`,
          sk: `expenses#change#${pad2(shard)}#${String(seq).padStart(12, '0')}`,
          kind: 'expense-change',
          seq,
          expenseId: id,
          expiresAt: seconds + CHANGE_RETENTION_SECONDS,
          gsi1pk: `expenses#feed#${budgetId}`,
          gsi1sk: `expenses#at#${at}#${eventId}`,
          publishes: true,
          source: 'budgeting.expenses',
          detailType: 'expense.recorded',
          detail,
          createdAt: at,
        },
      },
    },
    {
      ConditionCheck: {
        TableName,
        Key: { pk: `budgets#budget#${budgetId}`, sk: `budgets#member#${userId}` },
        ConditionExpression: '#role IN (:owner, :editor)',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':owner': 'owner', ':editor': 'editor' },
      },
    },
    // The account check with the access token's session epoch (0: a profile whose password
    // never changed) and its session not ended (users repository/revoked-sessions.ts).
    {
      ConditionCheck: {
        TableName,
        Key: { pk: `users#user#${userId}`, sk: 'users#profile' },
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(sessionEpoch) OR sessionEpoch = :epoch) AND NOT contains(revokedSessions0, :sid) AND NOT contains(revokedSessions1, :sid)',
        ExpressionAttributeValues: { ':epoch': 0, ':sid': owner.sessionId ?? SOME_SESSION_ID },
      },
    },
  ];
  return { expenseId: id, answer, location, items };
}
