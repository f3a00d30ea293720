import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkMessage } from '../jobs/messages';

/**
 * The local work queue's delayed messages (SQS DelaySeconds), each send on its own timer (which
 * does not keep the process alive), handed to `release` when it fires or when releaseAll() is
 * called.
 *
 * Given a folder, each held send is also a file there (`{ notBefore, messages }`) until it is
 * released, and a new hold on that folder (the next `npm start`, or a job CLI run) takes up the
 * files it finds, each at its instant (at once if that has passed). SQS keeps a delayed message
 * whatever happens to its sender; without the files a deferred send (a relayed unit sent again
 * past another send's lease, README "How to operate") was lost when the process stopped within
 * the delay, and its unit was never worked.
 *
 * Two processes on one folder (`npm start` and `npm run job` on one DATA_DIR) may both take up a
 * file; the one whose timer fires first claims it by renaming it (a rename is atomic: exactly one
 * succeeds) and releases its messages, the other finds it gone and releases nothing. A file is
 * written under a temporary name and renamed into place, so a process starting mid-write never
 * reads half of one (which it would set aside as unreadable, losing the send).
 *
 * The webhook delivery queue's stand-in holds its messages the same way (delivery-queue.ts).
 */
export interface DelayedHold<M = WorkMessage> {
  hold(messages: M[], delaySeconds: number): void;
  count(): number;
  releaseAll(): number;
  /** Stops the timers; the files stay for the next hold on the folder. */
  drop(): void;
}

interface HeldSend<M> {
  messages: M[];
  file?: string;
}

export function delayedHold<M = WorkMessage>(release: (messages: M[]) => void, dir?: string, now: () => number = Date.now): DelayedHold<M> {
  const held = new Map<NodeJS.Timeout, HeldSend<M>>();
  /** The number of messages released: none when another process on the folder took the file first. */
  const fire = (timer: NodeJS.Timeout): number => {
    const send = held.get(timer);
    if (!send) return 0;
    clearTimeout(timer);
    held.delete(timer);
    // The file goes first: released, the messages are the queue's (in memory, as every sent one).
    if (send.file && !claim(send.file)) return 0;
    release(send.messages);
    return send.messages.length;
  };
  const wait = (send: HeldSend<M>, delayMs: number) => {
    const timer: NodeJS.Timeout = setTimeout(() => fire(timer), Math.max(0, delayMs));
    timer.unref();
    held.set(timer, send);
  };
  const count = () => [...held.values()].reduce((n, send) => n + send.messages.length, 0);

  for (const { file, notBefore, messages } of dir ? heldFiles<M>(dir) : []) wait({ messages, file }, notBefore - now());

  return {
    hold(messages, delaySeconds) {
      const notBefore = now() + delaySeconds * 1000;
      const file = dir ? writeHeld(dir, notBefore, messages) : undefined;
      wait({ messages, ...(file ? { file } : {}) }, delaySeconds * 1000);
    },
    count,
    releaseAll() {
      return [...held.keys()].reduce((released, timer) => released + fire(timer), 0);
    },
    drop() {
      for (const timer of held.keys()) clearTimeout(timer);
      held.clear();
    },
  };
}

function writeHeld(dir: string, notBefore: number, messages: unknown[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${notBefore}-${randomUUID()}.json`);
  const writing = `${file}.writing`;
  writeFileSync(writing, JSON.stringify({ notBefore, messages }));
  renameSync(writing, file);
  return file;
}

/** Takes `file` for this process (false: another process on the folder took it first), then removes it. */
function claim(file: string): boolean {
  const taken = `${file}.${process.pid}-${randomUUID()}.taken`;
  try {
    renameSync(file, taken);
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
  rmSync(taken, { force: true });
  return true;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** The sends held in `dir`; a file that is not one (cut short by a crash mid-write) is set aside as `.unreadable`. */
function heldFiles<M>(dir: string): { file: string; notBefore: number; messages: M[] }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      // Released by another process on the folder since it was listed: nothing to take up.
      if (isMissing(err)) return [];
      throw err;
    }
    try {
      const { notBefore, messages } = JSON.parse(text) as { notBefore: unknown; messages: unknown };
      if (typeof notBefore === 'number' && Array.isArray(messages)) return [{ file, notBefore, messages: messages as M[] }];
    } catch {
      // Falls through: set aside below.
    }
    try {
      renameSync(file, `${file}.unreadable`);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    return [];
  });
}
