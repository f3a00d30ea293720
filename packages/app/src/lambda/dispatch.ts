import type { Logger, ScheduledJob, Subscription } from '@budgeting/platform';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  Context,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';

/**
 * The one Lambda function receives five kinds of triggers. This file tells them apart by
 * shape and hands each to whoever registered for it; anything else is logged and refused
 * (a result saying so, never an exception that would make Lambda retry garbage forever).
 */
export type TriggerKind = 'http' | 'schedule' | 'bus' | 'stream' | 'queue' | 'unknown';

type AnyEvent = Record<string, unknown> | null | undefined;

export function classifyEvent(event: unknown): TriggerKind {
  const e = event as AnyEvent;
  if (!e || typeof e !== 'object') return 'unknown';
  const ctx = e.requestContext as { http?: { method?: unknown } } | undefined;
  if (e.version === '2.0' && typeof ctx?.http?.method === 'string' && typeof e.rawPath === 'string') return 'http';
  if (Array.isArray(e.Records) && e.Records.length > 0 &&
      e.Records.every((r: { eventSource?: string }) => r?.eventSource === 'aws:dynamodb')) return 'stream';
  // The work queue of fan-out jobs (packages/app/src/jobs/).
  if (Array.isArray(e.Records) && e.Records.length > 0 &&
      e.Records.every((r: { eventSource?: string }) => r?.eventSource === 'aws:sqs')) return 'queue';
  if (typeof e.source === 'string' && typeof e['detail-type'] === 'string' && 'detail' in e) {
    return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event' ? 'schedule' : 'bus';
  }
  return 'unknown';
}

export interface Refused {
  refused: true;
  reason: string;
}

export interface DispatcherOptions {
  logger: Logger;
  http: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
  /** Delivers one bus event to the subscriptions it matches. */
  bus: (event: EventBridgeEvent<string, unknown>) => Promise<void | Refused>;
  stream: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  /** A batch of work-queue messages (units of fan-out jobs); partial batch failures. */
  queue?: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  schedules: ScheduledJob[];
  subscriptions?: Subscription[];
}

/** Finds the job a schedule rule belongs to: the rule's name ends with the job's name. */
export function jobForRule(jobs: ScheduledJob[], resources: string[] | undefined): ScheduledJob | undefined {
  const ruleNames = (resources ?? []).map((arn) => arn.split('/').pop() ?? '');
  return jobs.find((job) => ruleNames.some((rule) => rule === job.name || rule.endsWith(`-${job.name}`)));
}

export function createTriggerDispatcher(options: DispatcherOptions) {
  const { logger } = options;
  return async function dispatch(event: unknown, context: Context): Promise<unknown> {
    const kind = classifyEvent(event);
    switch (kind) {
      case 'http':
        return options.http(event as APIGatewayProxyEventV2, context);
      case 'stream':
        return options.stream(event as DynamoDBStreamEvent);
      case 'bus':
        return options.bus(event as EventBridgeEvent<string, unknown>);
      case 'queue':
        if (!options.queue) return refuse(logger, 'no work-queue consumer');
        return options.queue(event as SQSEvent, context);
      case 'schedule': {
        const scheduled = event as EventBridgeEvent<'Scheduled Event', unknown>;
        const job = jobForRule(options.schedules, scheduled.resources);
        if (!job) return refuse(logger, `no scheduled job for rule ${scheduled.resources?.join(', ')}`);
        const time = new Date(scheduled.time);
        await job.run(Number.isNaN(time.getTime()) ? new Date() : time, {
          logger: logger.createChild({ persistentKeys: { job: job.name, eventId: scheduled.id } }),
        });
        return { job: job.name, ok: true };
      }
      default:
        return refuse(logger, 'unrecognised event shape');
    }
  };
}

function refuse(logger: Logger, reason: string): Refused {
  logger.error('event refused', { reason });
  return { refused: true, reason };
}
