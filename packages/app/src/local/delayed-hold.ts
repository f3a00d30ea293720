import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * the delay, and its unit was never worked. Two processes on one folder may both take up a file:
 * the message is then delivered twice, as SQS may (its units' claims make that harmless).
 */
export interface DelayedHold {
  hold(messages: WorkMessage[], delaySeconds: number): void;
  count(): number;
  releaseAll(): number;
  /** Stops the timers; the files stay for the next hold on the folder. */
  drop(): void;
}

interface HeldSend {
  messages: WorkMessage[];
  file?: string;
}

export function delayedHold(release: (messages: WorkMessage[]) => void, dir?: string, now: () => number = Date.now): DelayedHold {
  const held = new Map<NodeJS.Timeout, HeldSend>();
  const fire = (timer: NodeJS.Timeout) => {
    const send = held.get(timer);
    if (!send) return;
    clearTimeout(timer);
    held.delete(timer);
    // The file goes first: released, the messages are the queue's (in memory, as every sent one).
    if (send.file) rmSync(send.file, { force: true });
    release(send.messages);
  };
  const wait = (send: HeldSend, delayMs: number) => {
    const timer: NodeJS.Timeout = setTimeout(() => fire(timer), Math.max(0, delayMs));
    timer.unref();
    held.set(timer, send);
  };
  const count = () => [...held.values()].reduce((n, send) => n + send.messages.length, 0);

  for (const { file, notBefore, messages } of dir ? heldFiles(dir) : []) wait({ messages, file }, notBefore - now());

  return {
    hold(messages, delaySeconds) {
      const notBefore = now() + delaySeconds * 1000;
      const file = dir ? writeHeld(dir, notBefore, messages) : undefined;
      wait({ messages, ...(file ? { file } : {}) }, delaySeconds * 1000);
    },
    count,
    releaseAll() {
      const released = count();
      for (const timer of [...held.keys()]) fire(timer);
      return released;
    },
    drop() {
      for (const timer of held.keys()) clearTimeout(timer);
      held.clear();
    },
  };
}

function writeHeld(dir: string, notBefore: number, messages: WorkMessage[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${notBefore}-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify({ notBefore, messages }));
  return file;
}

/** The sends held in `dir`; a file that is not one (cut short by a crash mid-write) is set aside as `.unreadable`. */
function heldFiles(dir: string): { file: string; notBefore: number; messages: WorkMessage[] }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name);
    try {
      const { notBefore, messages } = JSON.parse(readFileSync(file, 'utf8')) as { notBefore: unknown; messages: unknown };
      if (typeof notBefore === 'number' && Array.isArray(messages)) return [{ file, notBefore, messages: messages as WorkMessage[] }];
    } catch {
      // Falls through: set aside below.
    }
    writeFileSync(`${file}.unreadable`, readFileSync(file));
    rmSync(file, { force: true });
    return [];
  });
}
