/** The longest `Prefer: wait` honoured: an answer must come well inside API Gateway's 29 s. */
export const MAX_WAIT_SECONDS = 25;
/** API Gateway's integration timeout: 29 s after IT received the request the client gets a 504, whatever the function still does. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;
/** What a wait leaves of those 29 s for the last read of the record and the answer's way back. */
const ANSWER_MARGIN_MS = 2_000;
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

/**
 * How long to wait for `seconds` asked for, of a request received at `receivedAt` (AppEnv): the
 * N seconds, but never past what API Gateway's 29 s leave once the margin is kept. The time
 * already spent (a cold start, storing a 5 MB file and queueing its chunks) counts against them:
 * waited N seconds after it, the answer came after API Gateway's 504, and a client retrying that
 * 504 without an Idempotency-Key started the job again.
 */
export function waitMs(seconds: number, receivedAt: number | undefined, now: number = Date.now()): number {
  const left = receivedAt === undefined ? Infinity : receivedAt + API_GATEWAY_TIMEOUT_MS - ANSWER_MARGIN_MS - now;
  return Math.max(0, Math.min(seconds * 1000, left));
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
