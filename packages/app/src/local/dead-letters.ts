import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { parseWorkMessage, type WorkMessage } from '../jobs/messages';
import { WORK_QUEUE_DEAD_LETTER } from './work-queue';

/**
 * The local dead-letter folder (`.data/dead-letters`): one JSON file per item that failed
 * every attempt, either a bus event (`{ rule, event, error, attempts }`, the local bus) or a
 * work-queue message (`{ queue: "jobs", message, error, attempts }`, the local work queue).
 */
export type DeadLetter =
  | { file: string; kind: 'event'; rule: string; event: EventBridgeEvent<string, unknown>; error: string; attempts: number }
  | { file: string; kind: 'work'; message: WorkMessage; error: string; attempts: number };

export function readDeadLetters(dir: string): DeadLetter[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = join(dir, name);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const common = { file, error: String(raw.error ?? ''), attempts: Number(raw.attempts ?? 0) };
    if (raw.queue === WORK_QUEUE_DEAD_LETTER) return { ...common, kind: 'work' as const, message: parseWorkMessage(raw.message) };
    return { ...common, kind: 'event' as const, rule: String(raw.rule), event: raw.event as EventBridgeEvent<string, unknown> };
  });
}

export const removeDeadLetter = (letter: DeadLetter) => rmSync(letter.file);
