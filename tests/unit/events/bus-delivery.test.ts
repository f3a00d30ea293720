import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, defineEvent, DeliveryInFlightError, type EventEnvelope, type Subscription } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBusDelivery, DeliveryFailedError } from '../../../packages/app/src/events/bus-delivery';
import { createLocalBus } from '../../../packages/app/src/local/events-bus';
import { readDeadLetters } from '../../../packages/app/src/local/dead-letters';
import { ASYNC_INVOCATION_RETRIES } from '../../../packages/platform/src/jobs/work-queue-limits';
import type { SubscriptionRow } from '@budgeting/app/wiring';
import { recordingLogger } from './recording-logger';

/** Bus events as EventBridge delivers them: the AWS sample envelope with our source/type/detail. */
const SAMPLE = JSON.parse(
  readFileSync(new URL('../../../../shared/fixtures/aws-events/codepipeline-execution-state-change-event.json', import.meta.url), 'utf8'),
) as EventBridgeEvent<string, unknown>;

const expenseRecorded = defineEvent('expenses', 'expense.recorded', 1, z.object({ expenseId: z.string(), amount: z.number().int() }));
const expenseDeleted = defineEvent('expenses', 'expense.deleted', 1, z.object({ expenseId: z.string() }));

function busEvent(detail: unknown, type = 'expense.recorded', extra: Partial<EventBridgeEvent<string, unknown>> = {}) {
  return { ...structuredClone(SAMPLE), source: 'budgeting.expenses', 'detail-type': type, detail, ...extra };
}
const envelope = (data: unknown, overrides: Partial<EventEnvelope> = {}) => ({
  id: '01JEVENT',
  type: 'expense.recorded',
  version: 1,
  occurredAt: '2026-11-24T12:00:00.000Z',
  data,
  ...overrides,
});

function subscriber(name: string, events = [expenseRecorded, expenseDeleted], fail?: Error) {
  const received: EventEnvelope[] = [];
  const subscription: Subscription = {
    name,
    events,
    async handle(event) {
      received.push(event);
      if (fail) throw fail;
    },
  };
  return { subscription, received };
}

const row = (name: string, detailTypes = ['expense.recorded', 'expense.deleted']): SubscriptionRow => ({
  name,
  module: 'budgets',
  source: 'budgeting.expenses',
  detailTypes,
});

describe('bus delivery', () => {
  it('delivers a valid event to every subscription whose row matches, parsed by the contract', async () => {
    const a = subscriber('budgets-on-expenses');
    const b = subscriber('reports-on-expenses');
    const c = subscriber('only-deletes');
    const deliver = createBusDelivery(
      { deps: { logger: recordingLogger() }, subscriptions: [a.subscription, b.subscription, c.subscription] },
      { rows: [row('budgets-on-expenses'), row('reports-on-expenses'), row('only-deletes', ['expense.deleted'])] },
    );
    const result = await deliver(busEvent(envelope({ expenseId: 'x1', amount: 500, extra: 'dropped' })));
    expect(result).toBeUndefined();
    expect(a.received).toEqual([envelope({ expenseId: 'x1', amount: 500 })]); // unknown keys stripped by the schema
    expect(b.received).toHaveLength(1);
    expect(c.received).toHaveLength(0);
  });

  it('runs only the rule named in resources (the rule input transformer in AWS)', async () => {
    const a = subscriber('budgets-on-expenses');
    const b = subscriber('reports-on-expenses');
    const deliver = createBusDelivery(
      { deps: { logger: recordingLogger() }, subscriptions: [a.subscription, b.subscription] },
      { rows: [row('budgets-on-expenses'), row('reports-on-expenses')] },
    );
    await deliver(
      busEvent(envelope({ expenseId: 'x1', amount: 1 }), 'expense.recorded', {
        resources: ['arn:aws:events:us-east-1:123456789012:rule/budgeting-prod-bus/budgeting-prod-reports-on-expenses'],
      }),
    );
    expect(a.received).toHaveLength(0);
    expect(b.received).toHaveLength(1);
  });

  it('logs and refuses an invalid detail without calling the handler or throwing', async () => {
    const a = subscriber('budgets-on-expenses');
    const logger = recordingLogger();
    const deliver = createBusDelivery({ deps: { logger }, subscriptions: [a.subscription] }, { rows: [row('budgets-on-expenses')] });
    for (const detail of [
      envelope({ expenseId: 'x1', amount: 'lots' }),
      envelope({ expenseId: 'x1', amount: 1 }, { version: 2 }),
      envelope({ expenseId: 'x1', amount: 1 }, { occurredAt: 'yesterday' }),
      'not even json',
    ]) {
      const result = await deliver(busEvent(detail));
      expect(result).toMatchObject({ refused: true, reason: expect.stringContaining('invalid detail') });
    }
    expect(a.received).toHaveLength(0);
    const refusals = logger.entries.filter((e) => e.message === 'event refused: invalid detail');
    expect(refusals).toHaveLength(4);
    expect(refusals[0]!.attributes).toMatchObject({ subscription: 'budgets-on-expenses', issues: [expect.objectContaining({ path: 'data.amount' })] });
  });

  it('refuses an event nobody subscribes to', async () => {
    const deliver = createBusDelivery({ deps: { logger: recordingLogger() }, subscriptions: [] }, { rows: [] });
    expect(await deliver(structuredClone(SAMPLE))).toEqual({
      refused: true,
      reason: 'no subscription for aws.codepipeline/CodePipeline Pipeline Execution State Change',
    });
  });

  it('fails the invocation when a handler throws, after the other subscriptions ran', async () => {
    const broken = subscriber('broken', undefined, new Error('table unavailable'));
    const fine = subscriber('fine');
    const deliver = createBusDelivery(
      { deps: { logger: recordingLogger() }, subscriptions: [broken.subscription, fine.subscription] },
      { rows: [row('broken'), row('fine')] },
    );
    const attempt = deliver(busEvent(envelope({ expenseId: 'x1', amount: 1 })));
    await expect(attempt).rejects.toBeInstanceOf(DeliveryFailedError);
    await expect(attempt).rejects.toThrow(/broken failed: table unavailable/);
    expect(fine.received).toHaveLength(1);
  });

  it('says when a delivery failed only because another delivery of the event holds its claim', async () => {
    const duplicate = subscriber('mails', undefined, new DeliveryInFlightError('claimed until later'));
    const broken = subscriber('broken', undefined, new Error('table unavailable'));
    const only = createBusDelivery({ deps: { logger: recordingLogger() }, subscriptions: [duplicate.subscription] }, { rows: [row('mails')] });
    const mixed = createBusDelivery(
      { deps: { logger: recordingLogger() }, subscriptions: [duplicate.subscription, broken.subscription] },
      { rows: [row('mails'), row('broken')] },
    );
    await expect(only(busEvent(envelope({ expenseId: 'x1', amount: 1 })))).rejects.toMatchObject({ name: 'DeliveryFailedError', inFlightOnly: true });
    await expect(mixed(busEvent(envelope({ expenseId: 'x1', amount: 1 })))).rejects.toMatchObject({ name: 'DeliveryFailedError', inFlightOnly: false });
  });

  it('locally, delivers again a duplicate that met a claim, past its attempts, instead of dead-lettering it', async () => {
    // The first four deliveries meet another delivery's claim; the fifth finds it done. Two attempts allowed.
    let tries = 0;
    const subscription: Subscription = {
      name: 'mails',
      events: [expenseRecorded],
      async handle() {
        if (++tries <= 4) throw new DeliveryInFlightError('claimed until later');
      },
    };
    const deliver = createBusDelivery({ deps: { logger: createLogger('SILENT') }, subscriptions: [subscription] }, { rows: [row('mails')] });
    const busLogger = recordingLogger();
    const bus = createLocalBus({ rows: [row('mails')], deliver, logger: busLogger, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await bus.send([{ Source: 'budgeting.expenses', DetailType: 'expense.recorded', Detail: JSON.stringify(envelope({ expenseId: 'x1', amount: 1 })) }]);
    await bus.idle();
    expect(tries).toBe(5);
    expect(busLogger.entries.filter((e) => e.level === 'error').map((e) => e.message)).toEqual([]);
  });

  it("locally, dead-letters a delivery that keeps failing after as many attempts as Lambda makes of an asynchronous invocation (the function's 2 retries)", async () => {
    const { subscription, received } = subscriber('failing', [expenseRecorded], new Error('the table is unavailable'));
    const deliver = createBusDelivery({ deps: { logger: createLogger('SILENT') }, subscriptions: [subscription] }, { rows: [row('failing')] });
    const dir = mkdtempSync(join(tmpdir(), 'bus-dead-letters-'));
    // The default attempts, the waits shortened.
    const bus = createLocalBus({ rows: [row('failing')], deliver, logger: createLogger('SILENT'), deadLetterDir: dir, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    await bus.send([{ Source: 'budgeting.expenses', DetailType: 'expense.recorded', Detail: JSON.stringify(envelope({ expenseId: 'x1', amount: 1 })) }]);
    await bus.idle();
    // infra/function.ts: `retries` (eventInvokeConfig maximumRetryAttempts, the rehearsal checks it), then the DLQ.
    expect(ASYNC_INVOCATION_RETRIES).toBe(2);
    expect(received).toHaveLength(1 + ASYNC_INVOCATION_RETRIES);
    expect(readDeadLetters(dir)).toMatchObject([{ kind: 'event', rule: 'failing', attempts: 1 + ASYNC_INVOCATION_RETRIES }]);
  });

  it('refuses (and logs) a row whose module registered no such handler', async () => {
    const logger = recordingLogger();
    const deliver = createBusDelivery({ deps: { logger }, subscriptions: [] }, { rows: [row('ghost')] });
    expect(await deliver(busEvent(envelope({ expenseId: 'x1', amount: 1 })))).toMatchObject({ refused: true });
    expect(logger.entries.some((e) => e.level === 'error' && e.message === 'subscription row has no matching handler')).toBe(true);
  });

  it("logs a failed subscriber's error with where it was thrown (its stack), not its message alone", async () => {
    function readsTheBudget(): never {
      throw new TypeError("Cannot read properties of undefined (reading 'limit')");
    }
    let thrown: Error | undefined;
    try {
      readsTheBudget();
    } catch (err) {
      thrown = err as Error;
    }
    const failing = subscriber('budgets-on-expenses', [expenseRecorded, expenseDeleted], thrown);
    const logger = recordingLogger();
    const deliver = createBusDelivery({ deps: { logger }, subscriptions: [failing.subscription] }, { rows: [row('budgets-on-expenses')] });
    await expect(deliver(busEvent(envelope({ expenseId: 'x1', amount: 1 })))).rejects.toBeInstanceOf(DeliveryFailedError);
    const failed = logger.entries.filter((e) => e.message === 'subscriber failed');
    expect(failed).toEqual([expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ error: "Cannot read properties of undefined (reading 'limit')", subscription: 'budgets-on-expenses' }) })]);
    expect(String(failed[0]!.attributes.stack)).toContain('readsTheBudget');
  });
});
