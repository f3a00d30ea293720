import { DeliveryInFlightError, parseEnvelope, type Logger, type Subscription } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Refused } from '../lambda/dispatch';
import { SUBSCRIPTIONS } from '../wiring/manifest';
import type { SubscriptionRow } from '../wiring/rows';

/** The part of the System delivery needs (the whole System fits). */
export interface DeliveryHost {
  deps: { logger: Logger };
  subscriptions: Subscription[];
}

export class DeliveryFailedError extends Error {
  /** Every failure was a duplicate delivery meeting another's claim (DeliveryInFlightError): nothing is wrong, only early. */
  readonly inFlightOnly: boolean;

  constructor(
    readonly eventId: string,
    readonly failures: { subscription: string; error: string; inFlight?: true }[],
  ) {
    super(`event ${eventId}: ${failures.map((f) => `${f.subscription} failed: ${f.error}`).join('; ')}`);
    this.name = 'DeliveryFailedError';
    this.inFlightOnly = failures.length > 0 && failures.every((f) => f.inFlight === true);
  }
}

/**
 * Delivers a bus event to the subscriptions whose SUBSCRIPTIONS row matches its source and
 * detail-type, after validating the detail against the contract the subscriber declared.
 *
 * - An event nobody subscribes to, or whose detail is invalid, is logged and refused (a
 *   result, not an exception: retrying cannot make it valid).
 * - A handler that throws makes the whole delivery throw, so the Lambda invocation fails and
 *   EventBridge retries it, then parks it in the dead-letter queue. Other subscriptions of
 *   the same event still run first; their inboxes make the retry a no-op for them.
 * - In AWS each row is its own bus rule invoking the function; when the rule's input
 *   transformer puts the rule in `resources` (see wiring/rule-input.ts), only that row's
 *   subscription runs. Without it (a plain rule, the local bus) every matching row runs.
 */
export function createBusDelivery(host: DeliveryHost, options: { rows?: SubscriptionRow[] } = {}) {
  const rows = options.rows ?? SUBSCRIPTIONS;
  const root = host.deps.logger;

  return async (event: EventBridgeEvent<string, unknown>): Promise<void | Refused> => {
    const type = event['detail-type'];
    const logger = root.createChild({ persistentKeys: { eventId: event.id, source: event.source, detailType: type } });
    const matching = targetedRows(
      rows.filter((r) => r.source === event.source && r.detailTypes.includes(type)),
      event.resources,
    );
    if (matching.length === 0) return refuse(logger, `no subscription for ${event.source}/${type}`);

    const detail = typeof event.detail === 'string' ? safeJson(event.detail) : event.detail;
    const refusals: string[] = [];
    const failures: DeliveryFailedError['failures'] = [];
    for (const row of matching) {
      const subscription = host.subscriptions.find((s) => s.name === row.name);
      const contract = subscription?.events.find((c) => c.source === event.source && c.type === type);
      if (!subscription || !contract) {
        // The wiring manifest is older than the modules: a deployment bug its up-to-date test catches.
        logger.error('subscription row has no matching handler', { subscription: row.name, module: row.module });
        refusals.push(`${row.name}: no handler for ${type}`);
        continue;
      }
      const parsed = await parseEnvelope(contract, detail);
      if (!parsed.ok) {
        logger.error('event refused: invalid detail', { subscription: row.name, issues: parsed.issues });
        refusals.push(`${row.name}: invalid detail (${parsed.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join(', ')})`);
        continue;
      }
      const child = logger.createChild({ persistentKeys: { subscription: row.name } });
      try {
        await subscription.handle(parsed.event, { logger: child });
        child.debug('event delivered');
      } catch (err) {
        // A duplicate delivery meeting the first one's claim (withClaimedInbox) is no fault: it fails only to be delivered again.
        const inFlight = err instanceof DeliveryInFlightError;
        if (inFlight) child.warn('another delivery of this event runs its effect: delivered again later', { error: err.message });
        // With its stack: a fault of ours (a TypeError) is found from where it was thrown, not its message.
        else child.error('subscriber failed', { error: (err as Error).message, stack: (err as Error).stack });
        failures.push({ subscription: row.name, error: (err as Error).message, ...(inFlight ? { inFlight } : {}) });
      }
    }
    if (failures.length > 0) throw new DeliveryFailedError(event.id, failures);
    if (refusals.length === matching.length) return { refused: true, reason: refusals.join('; ') };
  };
}

/**
 * A rule ARN in `resources` ("arn:aws:events:<region>:<acct>:rule/<bus>/<rule>") names the
 * one row this invocation is for; the rule is named after the row, possibly with an
 * `<app>-<stage>-` prefix.
 */
export function targetedRows(rows: SubscriptionRow[], resources: string[] | undefined): SubscriptionRow[] {
  const names = (resources ?? []).map((r) => r.split('/').pop() ?? r);
  const named = rows.filter((row) => names.some((n) => n === row.name || n.endsWith(`-${row.name}`)));
  return named.length > 0 ? named : rows;
}

function refuse(logger: Logger, reason: string): Refused {
  logger.error('event refused', { reason });
  return { refused: true, reason };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // fails validation below and is refused with the reason
  }
}
