import { createLogger, type FanOutJob } from '@budgeting/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobMetrics } from '../../../packages/app/src/jobs/metrics';
import { createJobRunner } from '../../../packages/app/src/jobs/runner';
import { createSqsConsumer } from '../../../packages/app/src/jobs/sqs-consumer';
import { captureLogLines, type LogCapture } from '../../support/log-lines';

/**
 * The ERROR line of a unit that failed names the job and the unit, so an operator finds it in
 * the dead letters; it never carries a unit's personal data. Units that carry addresses exist:
 * the email change's `changed` notice (users jobs/names.ts EmailChangeMailUnit: both addresses,
 * from the event) and a password reset's mail unit queued before its address was sealed.
 */
let log: LogCapture | undefined;
afterEach(() => log?.restore());

function failingRunner() {
  const job: FanOutJob = {
    name: 'users-email-change-mail',
    async work() {
      throw new Error('mail service unavailable');
    },
    parseUnit: (raw) => raw,
  };
  const logger = createLogger('INFO');
  const runner = createJobRunner({
    jobs: [job],
    transport: () => ({ send: async () => undefined }),
    logger,
    metrics: createJobMetrics({ emit: false, stage: 'test' }),
  });
  return { runner, logger };
}

describe('the line of a failed job unit', () => {
  it('names the job and the ids of its unit, never an email address the unit carries', async () => {
    const { runner, logger } = failingRunner();
    const unit = { kind: 'changed', userId: 'user-1', eventId: 'event-1', previousEmail: 'old.address@example.com', email: 'New.Address@example.org' };
    log = captureLogLines();
    await expect(runner.deliver({ type: 'unit', job: 'users-email-change-mail', tick: '2026-12-07T12:00:00.000Z', unit }, { logger })).rejects.toThrow('mail service unavailable');
    const lines = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = lines.filter((l) => l.message === 'job unit failed');
    expect(failed).toEqual([expect.objectContaining({ level: 'ERROR', job: 'users-email-change-mail', error: 'mail service unavailable', unit: expect.objectContaining({ kind: 'changed', userId: 'user-1', eventId: 'event-1' }) })]);
    const written = log.lines.join('\n').toLowerCase();
    expect(written).not.toContain('old.address@example.com');
    expect(written).not.toContain('new.address@example.org');
  });

  it('carries where the error was thrown (its stack), not its message alone: a fault of ours is found from it', async () => {
    function readsTheBudget(): never {
      throw new TypeError("Cannot read properties of undefined (reading 'limit')");
    }
    const job: FanOutJob = { name: 'budget-reports', work: async () => readsTheBudget(), parseUnit: (raw) => raw };
    const logger = createLogger('INFO');
    const runner = createJobRunner({ jobs: [job], transport: () => ({ send: async () => undefined }), logger, metrics: createJobMetrics({ emit: false, stage: 'test' }) });
    log = captureLogLines();
    await expect(runner.deliver({ type: 'unit', job: 'budget-reports', tick: '2026-12-07T12:00:00.000Z', unit: { budgetId: 'b1' } }, { logger })).rejects.toThrow(TypeError);
    const failed = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'job unit failed');
    expect(failed).toEqual([expect.objectContaining({ error: "Cannot read properties of undefined (reading 'limit')" })]);
    expect(String(failed[0]!.stack)).toContain('readsTheBudget');
  });

  it("keeps a legacy reset mail unit's address out too, and its resetId in", async () => {
    const { runner, logger } = failingRunner();
    log = captureLogLines();
    const unit = { email: 'reset.me@example.com', resetId: 'reset-1' };
    await expect(runner.deliver({ type: 'unit', job: 'users-email-change-mail', tick: '2026-12-07T12:00:00.000Z', unit }, { logger })).rejects.toThrow();
    const failed = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'job unit failed');
    expect(failed).toEqual([expect.objectContaining({ unit: expect.objectContaining({ resetId: 'reset-1' }) })]);
    expect(log.lines.join('\n')).not.toContain('reset.me@example.com');
  });
});

/**
 * On the deployed job queue a failed message is reported to SQS (batchItemFailures), retried and
 * dead-lettered; the function does not throw, so Lambda logs nothing of it. Each failed receive
 * must leave ONE error line (with the message id, the job and why): the README's runbook for
 * JobDeadLettersPresent starts from the function's logs.
 */
describe('a failed message on the deployed job queue', () => {
  const TICK = '2026-12-07T12:00:00.000Z';
  function consumerWith(job: FanOutJob) {
    const logger = createLogger('INFO');
    const runner = createJobRunner({ jobs: [job], transport: () => ({ send: async () => undefined }), logger, metrics: createJobMetrics({ emit: false, stage: 'test' }) });
    const consume = createSqsConsumer({ deliver: (message, ctx, deadline) => runner.deliver(message, ctx, deadline), logger });
    return (body: object) => consume({ Records: [{ messageId: 'message-1', body: JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' } }] } as never);
  }
  const errorLines = () => log!.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'ERROR');

  it('logs a unit its job refuses (parseUnit) once, with the job and the reason', async () => {
    const consume = consumerWith({
      name: 'budgets-report',
      work: async () => undefined,
      parseUnit: () => {
        throw new Error('report unit needs a budgetId');
      },
    });
    log = captureLogLines();
    const answer = await consume({ type: 'unit', job: 'budgets-report', tick: TICK, unit: { nothing: true } });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
    expect(errorLines()).toEqual([expect.objectContaining({ messageId: 'message-1', job: 'budgets-report', error: 'report unit needs a budgetId' })]);
  });

  it("logs a planner's continuation that fails once, with the job and the reason", async () => {
    const consume = consumerWith({
      name: 'budgets-report',
      work: async () => undefined,
      parseUnit: (raw) => raw,
      plan: async () => {
        throw new Error('planner read failed');
      },
    });
    log = captureLogLines();
    const answer = await consume({ type: 'plan', job: 'budgets-report', tick: TICK, cursor: 'c1' });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
    expect(errorLines()).toEqual([expect.objectContaining({ messageId: 'message-1', job: 'budgets-report', error: 'planner read failed' })]);
  });

  it('logs a unit whose work failed once: the runner\'s line, not a second one', async () => {
    const consume = consumerWith({
      name: 'budgets-report',
      work: async () => {
        throw new Error('work failed');
      },
      parseUnit: (raw) => raw,
    });
    log = captureLogLines();
    const answer = await consume({ type: 'unit', job: 'budgets-report', tick: TICK, unit: { budgetId: 'b1' } });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
    expect(errorLines()).toEqual([expect.objectContaining({ message: 'job unit failed', messageId: 'message-1', job: 'budgets-report', error: 'work failed' })]);
  });

  it('counts a unit its job refuses as a failed attempt (UnitsFailed: the dashboard graph of failed units), as a unit whose work threw', async () => {
    const logger = createLogger('SILENT');
    const metrics = createJobMetrics({ emit: false, stage: 'test' });
    const job: FanOutJob = {
      name: 'budgets-report',
      work: async () => undefined,
      parseUnit: () => {
        throw new Error('report unit needs a budgetId');
      },
    };
    const runner = createJobRunner({ jobs: [job], transport: () => ({ send: async () => undefined }), logger, metrics });
    await expect(runner.deliver({ type: 'unit', job: 'budgets-report', tick: TICK, unit: {} }, { logger })).rejects.toThrow('report unit needs a budgetId');
    expect(metrics.totals('budgets-report').UnitsFailed).toBe(1);
  });
});
