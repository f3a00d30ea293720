/** The longest `Prefer: wait` honoured: an answer must come well inside API Gateway's 29 s. */
export const MAX_WAIT_SECONDS = 25;
// The first read comes soon (a small file is done in well under a second); later ones back off,
// so a long wait costs about 30 reads of the import record instead of one every 100 ms.
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;

/**
 * The `wait` preference of a Prefer header (RFC 7240 section 4.3: `wait=<delta-seconds>`,
 * among other comma- or semicolon-separated preferences), capped at MAX_WAIT_SECONDS;
 * undefined when absent or not a number (a preference the server ignores).
 */
export function preferredWaitSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[,;]/)) {
    const m = /^\s*wait\s*=\s*"?(\d+)"?\s*$/i.exec(part);
    if (m) return Math.min(Number(m[1]), MAX_WAIT_SECONDS);
  }
  return undefined;
}

/** Reads a job's record (an import, a merchant rename) until it has finished or `ms` have passed; the last state read. */
export async function waitForJob<R extends { status: string }>(read: () => Promise<R | undefined>, ms: number): Promise<R | undefined> {
  const until = Date.now() + ms;
  let latest = await read();
  let pause = FIRST_POLL_MS;
  while (latest && (latest.status === 'queued' || latest.status === 'running') && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, until - Date.now()))));
    pause = Math.min(pause * 2, MAX_POLL_MS);
    latest = await read();
  }
  return latest;
}
