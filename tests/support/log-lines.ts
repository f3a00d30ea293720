import { vi } from 'vitest';

/** The JSON lines the process writes (the app's logs), captured from stdout and stderr. */
export interface LogCapture {
  /** Every line that starts with `{`, as written, in order. */
  readonly lines: string[];
  /** Forgets what was captured so far (before the request a test looks at). */
  clear(): void;
  /** Puts stdout and stderr back. */
  restore(): void;
}

/**
 * Captures the log lines until `restore()`: the app logs one JSON line per request (and its
 * other lines) through Powertools, which writes to stdout/stderr, so a test reads what an
 * operator would find in CloudWatch Logs. Nothing reaches the terminal while it runs.
 */
export function captureLogLines(): LogCapture {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(line);
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  return {
    lines,
    clear: () => void lines.splice(0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
