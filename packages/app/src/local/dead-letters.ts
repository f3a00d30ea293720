import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve as resolvePath } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { loggedUnit } from '../jobs/logged-unit';
import { parseWorkMessage, type WorkMessage } from '../jobs/messages';
import { WORK_QUEUE_DEAD_LETTER } from './work-queue';

/**
 * The `queue` of a webhook delivery's dead letter (local/delivery-queue.ts). Its message is kept
 * as the queue carried it and checked by the webhooks module (parseDeliveryMessage) when it is
 * replayed: `list` and `drop` do not load the module.
 */
export const WEBHOOK_QUEUE_DEAD_LETTER = 'webhooks';

/**
 * The local dead-letter folder (`.data/dead-letters`): one JSON file per item that failed
 * every attempt: a bus event (`{ rule, event, error, attempts }`, the local bus, and the local
 * scheduler's Scheduled Event of a run that failed every attempt), a
 * work-queue message (`{ queue: "jobs", message, error, attempts }`, the local work queue) or a
 * webhook delivery message (`{ queue: "webhooks", message, error, attempts }`, the local
 * delivery queue: one its worker failed on every receive, WebhookDeadLetters in AWS).
 * A file that is neither (cut short by a crash or a full disk mid-write, or edited by hand) is
 * `unreadable`: listed, never replayed, droppable. It made every command fail (a JSON.parse
 * error escaping), the others unlisted and the bad one undroppable.
 */
export type DeadLetter =
  | { file: string; kind: 'event'; rule: string; event: EventBridgeEvent<string, unknown>; error: string; attempts: number }
  | { file: string; kind: 'work'; message: WorkMessage; error: string; attempts: number }
  | { file: string; kind: 'webhook'; message: WebhookDeadLetterMessage; error: string; attempts: number }
  | { file: string; kind: 'unreadable'; why: string; error: string; attempts: number };

/** A webhook delivery message as its dead letter holds it (the body the queue carried). */
export interface WebhookDeadLetterMessage {
  kind: 'webhook-delivery';
  webhookId: string;
  deliveryId: string;
  [field: string]: unknown;
}

export function readDeadLetters(dir: string): DeadLetter[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => readDeadLetter(join(dir, name)));
}

function readDeadLetter(file: string): DeadLetter {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return unreadable(file, 'not a JSON object');
    raw = parsed as Record<string, unknown>;
  } catch (err) {
    return unreadable(file, (err as Error).message);
  }
  const common = { file, error: String(raw.error ?? ''), attempts: Number(raw.attempts ?? 0) };
  if (raw.queue === WORK_QUEUE_DEAD_LETTER) {
    try {
      return { ...common, kind: 'work', message: parseWorkMessage(raw.message) };
    } catch (err) {
      return { ...common, kind: 'unreadable', why: `its message: ${(err as Error).message}` };
    }
  }
  if (raw.queue === WEBHOOK_QUEUE_DEAD_LETTER) {
    const message = raw.message as Record<string, unknown> | undefined;
    const named = (v: unknown) => typeof v === 'string' && v.length > 0;
    if (!message || typeof message !== 'object' || message.kind !== 'webhook-delivery' || !named(message.webhookId) || !named(message.deliveryId)) {
      return { ...common, kind: 'unreadable', why: 'its message: not a webhook delivery message' };
    }
    return { ...common, kind: 'webhook', message: message as WebhookDeadLetterMessage };
  }
  const event = raw.event as Record<string, unknown> | undefined;
  if (!event || typeof event !== 'object' || typeof event['detail-type'] !== 'string' || typeof event.source !== 'string') {
    return { ...common, kind: 'unreadable', why: 'neither a job message nor a bus event' };
  }
  return { ...common, kind: 'event', rule: String(raw.rule), event: raw.event as EventBridgeEvent<string, unknown> };
}

const unreadable = (file: string, why: string): DeadLetter => ({ file, kind: 'unreadable', why, error: '', attempts: 0 });

export const removeDeadLetter = (letter: DeadLetter) => rmSync(letter.file);

/**
 * One line naming what a dead letter holds, as `list` and `drop` print it: a job's unit as the
 * runner's log line keeps it (jobs/logged-unit.ts: its ids, kinds and dates, never an address or
 * a secret; the file keeps it whole for the replay). Until 2026-12-07 the whole unit was printed:
 * an email change's notice listed both addresses on the operator's terminal.
 */
export function describeDeadLetter(l: DeadLetter): string {
  if (l.kind === 'unreadable') return `unreadable (${l.why}): cat it to see what it holds, then drop it`;
  if (l.kind === 'webhook') return `webhook delivery ${l.message.deliveryId} of webhook ${l.message.webhookId}`;
  return l.kind === 'event'
    ? `event ${l.event['detail-type']} (${l.event.id}) for rule ${l.rule}`
    : `job ${l.message.job} ${l.message.type} ${JSON.stringify(loggedUnit(l.message.type === 'unit' ? l.message.unit : l.message.cursor ?? null))} tick ${l.message.tick}`;
}

/**
 * The dead letters of `dir` that `names` name, each by the path `list` prints or by its file
 * name alone, each once however often it is named; `unknown` holds the names matching none.
 * The caller removes nothing unless `unknown` is empty, so a mistyped name never leaves a
 * half-done drop.
 */
export function findDeadLetters(dir: string, names: readonly string[]): { found: DeadLetter[]; unknown: string[] } {
  const letters = readDeadLetters(dir);
  const byName = new Map(letters.map((l) => [basename(l.file), l]));
  const found: DeadLetter[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const letter = byName.get(basename(name));
    // A path must lie in the folder itself: `drop` deletes nothing elsewhere.
    if (!letter || (name !== basename(name) && resolvePath(name) !== resolvePath(letter.file))) unknown.push(name);
    // Named twice (its path and its name, a glob and a name): once, or its second removal failed.
    else if (!found.includes(letter)) found.push(letter);
  }
  return { found, unknown };
}
