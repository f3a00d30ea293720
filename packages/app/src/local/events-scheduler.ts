import { randomUUID } from 'node:crypto';
import type { Logger, ScheduledJob } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import type { ScheduleRow } from '../wiring/rows';
import { parseRate, type Rate } from '../wiring/schedule-expression';
import { deliverWithRetries, LOCAL_BUS_RETRY, writeDeadLetter } from './retrying-delivery';

/**
 * The local stand-in for EventBridge schedules: runs every SCHEDULES row's job at the times
 * its rate expression names (the row is what infra deploys, checked by the same parseRate).
 * A rate counts from the scheduler's start (AWS counts from the rule's creation). Like a
 * schedule rule it does not catch up runs missed while the process was down, nor while it stood
 * still (a machine asleep: the first timer to fire runs once, as of the run due last); jobs are
 * written to cope with running late or twice. A run that is still going when the next is
 * due is skipped, so a slow job never piles up.
 *
 * A run that fails is retried as Lambda retries the schedule's asynchronous invocation (1 + the
 * function's retries, LOCAL_BUS_RETRY, each as of the same scheduled time), then its Scheduled
 * Event is parked in the dead-letter folder (`deadLetterDir`, the local bus's: `{ rule, event,
 * error, attempts }`), as AWS parks it in the dead-letter queue, where `npm run dead-letters`
 * lists and replays it. It was only logged: the tick was lost, and a daily job waited a day.
 */
export interface LocalScheduler {
  stop(): void;
  /** Next fire time per job (for the startup log and tests). */
  nextRuns(): Record<string, string>;
}

/** setTimeout's ceiling (~24.8 days); longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function startLocalScheduler(options: {
  rows: ScheduleRow[];
  jobs: ScheduledJob[];
  logger: Logger;
  now?: () => Date;
  /** Where a run that failed every attempt is parked (npm start: `<DATA_DIR>/dead-letters`); omitted: logged only. */
  deadLetterDir?: string;
  region?: string;
}): LocalScheduler {
  const now = options.now ?? (() => new Date());
  const timers = new Map<string, NodeJS.Timeout>();
  const next = new Map<string, Date>();
  let stopped = false;

  for (const row of options.rows) {
    const job = options.jobs.find((j) => j.name === row.name);
    if (!job) {
      options.logger.error('schedule has no registered job', { job: row.name, module: row.module });
      continue;
    }
    let rate: Rate;
    try {
      rate = parseRate(row.schedule);
    } catch (err) {
      options.logger.error('schedule not started', { job: row.name, error: (err as Error).message });
      continue;
    }
    const logger = options.logger.createChild({ persistentKeys: { job: job.name } });
    const origin = now().getTime();
    /** The first run strictly after `after`: origin + k periods. */
    const nextRun = (after: Date) => new Date(origin + (Math.floor(Math.max(0, after.getTime() - origin) / rate.periodMs) + 1) * rate.periodMs);
    let running = false;

    const arm = (at: Date) => {
      next.set(job.name, at);
      const wait = Math.max(0, at.getTime() - now().getTime());
      const timer = setTimeout(() => (wait > MAX_TIMER_MS ? arm(at) : fire(at)), Math.min(wait, MAX_TIMER_MS));
      timer.unref(); // the HTTP server keeps the process alive, not the schedules
      timers.set(job.name, timer);
    };
    /** The latest run due by `now` (origin + k periods), never before `at`. */
    const latestDue = (at: Date, now: Date) => new Date(Math.max(at.getTime(), nextRun(now).getTime() - rate.periodMs));
    const fire = (scheduled: Date) => {
      if (stopped) return;
      // A timer that fires periods late (the process stood still: a machine asleep, a debugger)
      // runs once, as of the run due last: every missed run back to back, each as of its stale
      // time, is what a schedule rule never does.
      const at = latestDue(scheduled, now());
      arm(nextRun(at));
      if (running) {
        logger.warn('scheduled run skipped: the previous run is still going', { scheduledFor: at.toISOString() });
        return;
      }
      running = true;
      logger.info('scheduled run', { scheduledFor: at.toISOString() });
      const event = scheduledEvent(job.name, at, options.region ?? 'local');
      void deliverWithRetries(
        () => job.run(at, { logger: logger.createChild({ persistentKeys: { eventId: event.id } }) }),
        LOCAL_BUS_RETRY,
        (err, attempts) => {
          logger.error('scheduled run failed every attempt, dead-lettered', { scheduledFor: at.toISOString(), attempts, error: err.message });
          writeDeadLetter(options.deadLetterDir, `${event.time}-${job.name}-${event.id}`, { rule: job.name, error: err.message, attempts, event });
        },
      ).finally(() => (running = false));
    };
    arm(nextRun(now()));
  }

  return {
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
    nextRuns: () => Object.fromEntries([...next].map(([k, v]) => [k, v.toISOString()])),
  };
}

/**
 * The Scheduled Event EventBridge hands the function for a run (the AWS shape: `time` to the
 * second, the rule's ARN in `resources`, whose name ends with the job's: dispatch.ts jobForRule).
 */
function scheduledEvent(job: string, at: Date, region: string): EventBridgeEvent<'Scheduled Event', Record<string, never>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/local-${job}`],
    detail: {},
  };
}
