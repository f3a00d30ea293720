/**
 * What travels on the work queue (an SQS message body in AWS, an in-process record locally):
 * either one unit of a job, or the rest of a job's plan (the planner's checkpoint: it ran out
 * of time and continues from `cursor` in another invocation). `tick` is the instant the tick
 * named (the Scheduled Event's `time`, or `npm run job -- --at`): "now" for everything the
 * tick fans out, however late a message is delivered. A unit's `notBefore` (ISO-8601, by the
 * system's clock) is the instant before which it must not be worked (WorkQueue.enqueue).
 */
export type WorkMessage =
  | { type: 'unit'; job: string; tick: string; unit: unknown; notBefore?: string; relayed?: RelayedFrom }
  | { type: 'plan'; job: string; tick: string; cursor?: string };

/**
 * Where a unit the stream relay sent came from: `key`, the job-unit item's key (unique: a fresh
 * id per unit), and `send`, an id of this one send (outbox-relay.ts). The stream can hand the
 * same item to the relay twice (a partial batch's redelivery, a dead-letter replay), and each
 * hand-over is a new send; the queue's own redeliveries of one message keep its `send`, and so
 * do the continuations of its unit (the rest of a unit worked in parts: runner.ts). The
 * runner works a key for one send only (relayed-units.ts), so the unit runs once; another send
 * takes it over only when that send's attempt died (its claim not done after its lease).
 * `deferred`: how often this send was sent again to wait for the lease of another send's claim
 * (runner.ts; bounded by RELAYED_UNIT_MAX_DEFERRALS); absent: never.
 */
export interface RelayedFrom {
  key: string;
  send: string;
  deferred?: number;
  /**
   * On a continuation only: the attempt (one delivery's id) of the part that sent it, whose
   * claim it takes on (relayed-units.ts). Not the send: two deliveries of one message share
   * the send, and only one of them may hold the claim.
   */
  heldBy?: string;
}

export interface SendOptions {
  continuation?: boolean;
  /**
   * Deliver no sooner than this many seconds from now (1..MAX_QUEUE_DELAY_SECONDS): SQS's
   * DelaySeconds, a timer locally. The runner sets it for units with a `notBefore`.
   */
  delaySeconds?: number;
}

/** Sends messages to later invocations (SQS, the local stand-in, or inline). */
export interface WorkTransport {
  /**
   * `continuation`: the messages are the rest of a unit that ran out of time. A queue that
   * keeps an order (the local stand-in) works them before units not started yet, so a started
   * import chunk finishes before the next ones begin; SQS has no order and ignores it.
   */
  send(messages: WorkMessage[], options?: SendOptions): Promise<void>;
}

/**
 * A send the queue took only in part: `refused` are the indexes (into the messages sent, in
 * order) of those it never took (SQS's `Failed` entries after the transport's attempts, or still
 * pending when a retry threw, and any
 * not sent after them); every other message was queued. A caller that must not queue a message
 * twice (the stream relay: outbox-relay.ts) reports only from the first refused one on.
 */
export class WorkMessagesRefusedError extends Error {
  constructor(
    readonly refused: number[],
    codes: string[],
  ) {
    super(`SQS refused ${refused.length} work messages: ${codes.join(', ')}`);
    this.name = 'WorkMessagesRefusedError';
  }
}

export class MalformedWorkMessageError extends Error {
  constructor(reason: string) {
    super(`malformed work message: ${reason}`);
    this.name = 'MalformedWorkMessageError';
  }
}

/** Checks the envelope (the job checks its unit with its own parseUnit). */
export function parseWorkMessage(raw: unknown): WorkMessage {
  const body = typeof raw === 'string' ? safeJson(raw) : raw;
  if (!body || typeof body !== 'object') throw new MalformedWorkMessageError('not an object');
  const m = body as Record<string, unknown>;
  if (typeof m.job !== 'string' || m.job.length === 0) throw new MalformedWorkMessageError('job must be a non-empty string');
  if (typeof m.tick !== 'string' || Number.isNaN(Date.parse(m.tick))) throw new MalformedWorkMessageError('tick must be an ISO-8601 time');
  if (m.type === 'unit') {
    if (!('unit' in m)) throw new MalformedWorkMessageError('unit is missing');
    if (m.notBefore !== undefined && (typeof m.notBefore !== 'string' || Number.isNaN(Date.parse(m.notBefore)))) {
      throw new MalformedWorkMessageError('notBefore must be an ISO-8601 time');
    }
    const relayed = m.relayed as Record<string, unknown> | undefined;
    if (relayed !== undefined && (!relayed || typeof relayed !== 'object' || typeof relayed.key !== 'string' || relayed.key.length === 0 || typeof relayed.send !== 'string' || relayed.send.length === 0)) {
      throw new MalformedWorkMessageError('relayed must hold a non-empty key and send');
    }
    if (relayed?.deferred !== undefined && !(Number.isSafeInteger(relayed.deferred) && (relayed.deferred as number) >= 0)) {
      throw new MalformedWorkMessageError('relayed.deferred must be a non-negative integer');
    }
    if (relayed?.heldBy !== undefined && (typeof relayed.heldBy !== 'string' || relayed.heldBy.length === 0)) {
      throw new MalformedWorkMessageError('relayed.heldBy must be a non-empty string');
    }
    return {
      type: 'unit',
      job: m.job,
      tick: m.tick,
      unit: m.unit,
      ...(m.notBefore === undefined ? {} : { notBefore: m.notBefore }),
      ...(relayed === undefined ? {} : { relayed: { key: relayed.key as string, send: relayed.send as string, ...(relayed.deferred === undefined ? {} : { deferred: relayed.deferred as number }), ...(relayed.heldBy === undefined ? {} : { heldBy: relayed.heldBy as string }) } }),
    };
  }
  if (m.type === 'plan') {
    if (m.cursor !== undefined && typeof m.cursor !== 'string') throw new MalformedWorkMessageError('cursor must be a string');
    return { type: 'plan', job: m.job, tick: m.tick, ...(m.cursor === undefined ? {} : { cursor: m.cursor }) };
  }
  throw new MalformedWorkMessageError('type must be "unit" or "plan"');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
