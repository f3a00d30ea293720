import type { BudgetsFacade } from '@budgeting/budgets';
import { createLogger, fixedClock, type EventEnvelope } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../contract';
import type { Webhook } from '../model';
import type { CreateOutcome, DeliveriesRepository, StreamHead } from '../repository/deliveries.repository';
import type { WebhooksRepository } from '../repository/webhooks.repository';
import { FanOutService } from './fan-out.service';

/**
 * The fan-out's races for a stream number, without a table: a deliveries stand-in that says
 * "raced" a given number of times. The waits go through the injected sleep (no wall-clock
 * time); the burst itself, on DynamoDB Local: tests/integration/webhooks/sequence-race.test.ts.
 */
const hook: Webhook = {
  id: 'hook-1', ownerId: 'alice', url: 'http://127.0.0.1:9/', budgetIds: null, eventTypes: null, description: null, status: 'enabled',
  disabledReason: null, secret: 'whsec_unused', previousSecret: null, previousSecretExpiresAt: null, version: 1,
  createdAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-24T12:00:00.000Z',
};
const event: EventEnvelope = { id: 'evt-1', type: 'expense.recorded', version: 1, occurredAt: '2026-11-24T12:00:00.000Z', data: { budgetId: 'b1' } };

function fanOutRacing(lost: number) {
  const calls: string[] = [];
  const slept: number[] = [];
  const queued: DeliveryMessage[] = [];
  let lastSequence = 0;
  const deliveries = {
    head: async (): Promise<StreamHead> => {
      calls.push('head');
      return { lastSequence, deliveredThrough: 0 };
    },
    create: async (): Promise<CreateOutcome> => {
      calls.push('create');
      if (calls.filter((c) => c === 'create').length <= lost) {
        lastSequence++; // another event took the number
        return { kind: 'raced' };
      }
      return { kind: 'created' };
    },
  };
  const fanOut = new FanOutService({
    webhooks: { list: async () => [hook] } as unknown as WebhooksRepository,
    deliveries: deliveries as unknown as DeliveriesRepository,
    budgets: { memberIds: async () => ['alice'] } as unknown as BudgetsFacade,
    knowledge: {
      knowledge: async () => {
        calls.push('knowledge');
        return 'k';
      },
    },
    queue: { send: async (message) => void queued.push(message) },
    clock: fixedClock('2026-11-24T12:00:00Z'),
    races: {
      random: () => 0.5,
      sleep: async (ms) => {
        calls.push('sleep');
        slept.push(ms);
      },
    },
  });
  return { run: () => fanOut.onEvent(event, createLogger('SILENT')), calls, slept, queued };
}

describe('the fan-out raced for a stream number', () => {
  it('waits a jittered, doubling time before each new try, then reads the head before the knowledge again', async () => {
    const f = fanOutRacing(3);
    await f.run();
    expect(f.slept).toEqual([5, 10, 20]); // half (random 0.5) of 10, 20, 40 ms
    expect(f.calls).toEqual([...Array(3).fill(['head', 'knowledge', 'create', 'sleep']).flat(), 'head', 'knowledge', 'create']);
    expect(f.queued).toHaveLength(1);
  });

  it('gives the event back to the bus after 16 tries, having waited between them only', async () => {
    const f = fanOutRacing(100);
    await expect(f.run()).rejects.toThrow('webhook hook-1: could not take a sequence number for budget b1 after 16 tries');
    expect(f.calls.filter((c) => c === 'create')).toHaveLength(16);
    expect(f.slept).toHaveLength(15);
    expect(f.slept.reduce((a, b) => a + b, 0)).toBe(1_405); // half of the 2.81 s at most
    expect(f.queued).toEqual([]);
  });
});

describe("the fan-out over a budget's webhooks", () => {
  it("makes every other webhook's delivery when one webhook's fails, then gives the event back", async () => {
    const hooks = ['hook-a', 'hook-b', 'hook-c'].map((id) => ({ ...hook, id }));
    const created: string[] = [];
    const fanOut = new FanOutService({
      webhooks: { list: async () => hooks } as unknown as WebhooksRepository,
      deliveries: {
        head: async (): Promise<StreamHead> => ({ lastSequence: 0, deliveredThrough: 0 }),
        create: async (delivery: { webhookId: string }): Promise<CreateOutcome> => {
          if (delivery.webhookId === 'hook-a') throw new Error('throttled');
          created.push(delivery.webhookId);
          return { kind: 'created' };
        },
      } as unknown as DeliveriesRepository,
      budgets: { memberIds: async () => ['alice'] } as unknown as BudgetsFacade,
      knowledge: { knowledge: async () => 'k' },
      queue: { send: async () => undefined },
      clock: fixedClock('2026-11-24T12:00:00Z'),
    });
    await expect(fanOut.onEvent(event, createLogger('SILENT'))).rejects.toThrow('throttled');
    expect(created.sort()).toEqual(['hook-b', 'hook-c']);
  });
});
