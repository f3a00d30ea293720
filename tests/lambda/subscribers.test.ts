import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ruleName } from '../../infra/wiring';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { httpResult, lambdaContext } from './support/bundle';
import { ruleEvent, streamBatch } from './support/event-payloads';
import { apiEvent } from './support/fixtures';
import { useBundledHandlerWithBus } from './support/bundled-with-bus';
import { withoutClosedMarkers } from '../support/closed-budgets';

/**
 * The BUNDLED handler running the real subscribers, fed the payloads AWS sends (shaped like
 * ../shared/fixtures/aws-events): the table's stream batch carrying our outbox items goes to
 * the (fake) EventBridge, and each published entry comes back as the bus event its rule
 * delivers, with the rule's ARN in `resources`. So: HTTP -> outbox -> stream -> PutEvents ->
 * rule -> budgets-on-expenses writes the threshold markers and their events' outbox items.
 */
const suite = useBundledHandlerWithBus();

const invoke = (event: unknown) => suite.handler(event, lambdaContext());
const ruleArn = (row: string) => `arn:aws:events:us-east-1:123456789012:rule/${suite.env.env.EVENT_BUS_NAME}/${ruleName('budgeting', 'test', row)}`;

async function http(method: string, path: string, token?: string, body?: unknown) {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const res = httpResult(await invoke(apiEvent('apigw-v2-request-no-authorizer', { method, path, body, headers })));
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.json;
}

async function tableItems(): Promise<Record<string, any>[]> {
  const out = await suite.env.doc.send(new ScanCommand({ TableName: suite.env.tableName, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));
}

/** Items written to be published: outbox items, and items carrying an event (an expense write's change entry). */
const outboxOf = async (type: string) =>
  (await tableItems()).filter((i) => (i.kind === 'outbox' || i.publishes === true) && i.detailType === type);

/** Relays table items through the stream trigger; returns the entries EventBridge received. */
async function relay(items: Record<string, any>[]) {
  const before = suite.eventBridge.requests.length;
  expect(await invoke(streamBatch(items))).toEqual({ batchItemFailures: [] });
  return suite.eventBridge.requests.slice(before).flatMap((r) => r.Entries);
}

describe('bundled handler: the subscribers behind the bus rules', { timeout: 60_000 }, () => {
  let token: string;
  let budgetId: string;

  it('an expense.recorded entry on the budgets-on-expenses rule writes the threshold markers and their events', async () => {
    const signup = await http('POST', '/v1/auth/signup', undefined, { email: uniqueEmail('subs'), password: PASSWORD });
    token = signup.tokens.accessToken;
    budgetId = (await http('POST', '/v1/budgets', token, { name: 'Home', currency: 'EUR', limit: 10_000 })).id;
    await http('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 7_000 });
    const crossing = await http('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 3_500 });
    const recorded = (await outboxOf('expense.recorded')).find((i) => JSON.parse(i.detail).data.expenseId === crossing.id)!;

    const [entry] = await relay([recorded]);
    expect(entry).toMatchObject({ Source: 'budgeting.expenses', DetailType: 'expense.recorded' });

    const result = await invoke(ruleEvent(entry!, ruleArn('budgets-on-expenses')));
    expect(result).toBeUndefined(); // delivered, nothing refused

    const markers = (await tableItems()).filter((i) => i.pk === `budgets#thresholds#${budgetId}`);
    expect(markers.map((m) => [m.scope, m.threshold, m.spent, m.limit])).toEqual([
      ['budget', 100, 10_500, 10_000],
      ['budget', 80, 10_500, 10_000],
    ]);
    const announced = (await outboxOf('budget.threshold_crossed')).map((i) => JSON.parse(i.detail));
    expect(announced.map((e) => e.data.threshold).sort()).toEqual([100, 80]);
    expect(announced.map((e) => e.id).sort()).toEqual(markers.map((m) => m.eventId).sort());
    expect(announced.every((e) => e.data.budgetId === budgetId)).toBe(true);

    // EventBridge redelivers it (another bus event id, same envelope): nothing changes.
    const once = await tableItems();
    expect(await invoke(ruleEvent(entry!, ruleArn('budgets-on-expenses')))).toBeUndefined();
    expect(await tableItems()).toEqual(once);

    // The threshold events leave through the stream like any other.
    const published = await relay(await outboxOf('budget.threshold_crossed'));
    expect(published.map((e) => [e.Source, e.DetailType])).toEqual([
      ['budgeting.budgets', 'budget.threshold_crossed'],
      ['budgeting.budgets', 'budget.threshold_crossed'],
    ]);
  });

  it('budget.deleted runs only the subscription its rule names', async () => {
    await http('DELETE', `/v1/budgets/${budgetId}`, token);
    const [entry] = await relay(await outboxOf('budget.deleted'));
    const mentions = async (prefix: string) => (await tableItems()).filter((i) => String(i.pk).startsWith(prefix) && String(i.pk).includes(budgetId));
    expect(await mentions('expenses#')).not.toEqual([]);
    expect(await mentions('budgets#thresholds#')).toHaveLength(2);

    expect(await invoke(ruleEvent(entry!, ruleArn('expenses-on-budgets')))).toBeUndefined();
    expect(withoutClosedMarkers(await mentions('expenses#'))).toEqual([]);
    expect(await mentions('budgets#thresholds#')).toHaveLength(2); // the other rule's subscription did not run

    expect(await invoke(ruleEvent(entry!, ruleArn('budgets-on-budgets')))).toBeUndefined();
    expect(await mentions('budgets#')).toEqual([]);
  });
});
