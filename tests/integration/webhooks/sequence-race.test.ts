import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newId, type EventEnvelope } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../../../packages/webhooks/src/contract';
import type { Webhook } from '../../../packages/webhooks/src/model';
import { DeliveriesRepository } from '../../../packages/webhooks/src/repository/deliveries.repository';
import type { WebhooksRepository } from '../../../packages/webhooks/src/repository/webhooks.repository';
import { FanOutService } from '../../../packages/webhooks/src/service/fan-out.service';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A burst of events of one budget fanned out at once (stop 56: about 20 webhooks and a burst of
 * writes under `npm start` made `webhooks-on-expenses` fail with "could not take a sequence
 * number ... after 8 tries"). Each event's delivery takes the next number of its (webhook,
 * budget) stream with a conditional write on the stream head; the losers of a race read again.
 * Raced again at once, every loser met the others again, one winner per round: N events needed
 * N rounds, past the 8 allowed (11 of these 25 threw). Now the losers wait a jittered,
 * doubling time first (domain/race-backoff.ts).
 *
 * The fan-out service runs on the real deliveries repository (DynamoDB Local); the webhooks (but
 * an item under each one's key, which a delivery's create checks), the members and the knowledge
 * are stand-ins, so the requests counted are the stream's own.
 * The knowledge stand-in answers the number of its reads so far: a delivery with a higher
 * sequence must carry a higher one (its knowledge read after the lower one's: README "Order").
 */
const BURST = 25;
const WEBHOOKS = 2;
const BUDGET_ID = 'budget-burst';

let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t?.destroy());

function webhook(n: number): Webhook {
  const at = '2026-11-24T12:00:00.000Z';
  return {
    id: `hook-${n}`, ownerId: 'alice', url: `http://127.0.0.1:9/${n}`, budgetIds: null, eventTypes: null, description: null,
    status: 'enabled', disabledReason: null, secret: 'whsec_unused', previousSecret: null, previousSecretExpiresAt: null,
    version: 1, createdAt: at, updatedAt: at,
  };
}

describe('a burst of events of one budget fanned out at once', { timeout: 120_000 }, () => {
  it('gives each event exactly one delivery per webhook, numbered 1..N in knowledge order, none thrown', async () => {
    const hooks = Array.from({ length: WEBHOOKS }, (_, i) => webhook(i + 1));
    for (const hook of hooks) {
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `webhooks#owner#${hook.ownerId}`, sk: `webhooks#webhook#${hook.id}`, kind: 'webhook' } }));
    }
    let knowledgeReads = 0;
    const queued: DeliveryMessage[] = [];
    const deliveries = new DeliveriesRepository(t.system.deps.storeFor('webhooks'));
    const fanOut = new FanOutService({
      webhooks: { list: async () => hooks } as unknown as WebhooksRepository,
      deliveries,
      budgets: { memberIds: async () => ['alice'] } as unknown as BudgetsFacade,
      knowledge: { knowledge: async () => String(++knowledgeReads) },
      queue: { send: async (message) => void queued.push(message) },
      clock: t.clock,
    });
    const events: EventEnvelope[] = Array.from({ length: BURST }, (_, i) => ({
      id: newId(), type: 'expense.recorded', version: 1, occurredAt: '2026-11-24T12:00:00.000Z', data: { budgetId: BUDGET_ID, expenseId: `e${i}` },
    }));

    const started = Date.now();
    const { result: outcomes, commands } = await commandsSentDuring(t.doc, () =>
      Promise.allSettled(events.map((event) => fanOut.onEvent(event, t.system.deps.logger))),
    );

    // The cost, visible: per delivery, the head's reads and the transactions tried (1 each without a race).
    const perDelivery = (name: string) => commands.filter((c) => c === name).length / (BURST * WEBHOOKS);
    const cost = { headReads: perDelivery('GetItemCommand'), transactions: perDelivery('TransactWriteItemsCommand'), knowledgeReads: knowledgeReads / (BURST * WEBHOOKS) };
    console.info(`sequence races, ${BURST} events x ${WEBHOOKS} webhooks, per delivery:`, JSON.stringify(cost), `requests ${commands.length}, ${Date.now() - started} ms`);
    const thrown = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
    expect(thrown).toEqual([]);
    expect(queued).toHaveLength(BURST * WEBHOOKS);
    for (const hook of hooks) {
      const stream = await Promise.all(queued.filter((m) => m.webhookId === hook.id).map((m) => deliveries.get(hook.id, m.deliveryId)));
      const bySequence = stream.map((d) => d!).sort((a, b) => a.sequence! - b.sequence!);
      expect(bySequence.map((d) => d.sequence)).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
      expect(new Set(bySequence.map((d) => d.eventId)).size).toBe(BURST);
      const knowledge = bySequence.map((d) => Number(JSON.parse(d.body).data.serverKnowledge));
      expect(knowledge).toEqual([...knowledge].sort((a, b) => a - b));
      expect(new Set(knowledge).size).toBe(BURST);
      expect((await deliveries.head(hook.id, BUDGET_ID)).lastSequence).toBe(BURST);
    }

    // Measured on a 2-core machine: with the jittered waits 3.8-4.4 tries per delivery (5.2 beside
    // other test files); racing again at once (and allowed to go on) 6.4; with 8 tries allowed,
    // 11 of the 25 events threw. The tries depend on how the machine schedules the burst, so they
    // are printed above, not asserted: what must hold is that no event threw and the order above.
  });
});
