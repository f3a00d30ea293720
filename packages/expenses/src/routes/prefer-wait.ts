import type { ImportRecord } from '../repository/import-jobs.repository';

/** The longest `Prefer: wait` honoured: an answer must come well inside API Gateway's 29 s. */
export const MAX_WAIT_SECONDS = 25;
const POLL_MS = 100;

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

/** Reads the import until it has finished or `ms` have passed; the last state read. */
export async function waitForImport(read: () => Promise<ImportRecord | undefined>, ms: number): Promise<ImportRecord | undefined> {
  const until = Date.now() + ms;
  let latest = await read();
  while (latest && (latest.status === 'queued' || latest.status === 'running') && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, until - Date.now()))));
    latest = await read();
  }
  return latest;
}
