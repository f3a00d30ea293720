import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** How long a SIGTERMed `npm start` may take to stop before it is killed outright. */
const STOP_MS = 10_000;

/**
 * Stops a spawned `npm start` and THEN removes its data folder. Removing it right after
 * `kill('SIGTERM')` raced the process's shutdown, which still writes into the folder (the
 * stream checkpoints): under load the recursive removal met a file created meanwhile and threw
 * ENOTEMPTY in afterAll (seen once in a loaded run of start-webhooks.test.ts). So the exit is
 * awaited (SIGKILL after STOP_MS), and the removal retries as Node's own rm does for ENOTEMPTY.
 */
export async function stopAndRemove(child: ChildProcess | undefined, dataDir: string): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
