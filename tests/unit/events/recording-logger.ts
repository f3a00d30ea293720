import type { Logger } from '@budgeting/platform';

/** A Logger stand-in that keeps what was logged, so tests can assert "logged and refused". */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

export function recordingLogger(entries: LogEntry[] = [], keys: Record<string, unknown> = {}): Logger & { entries: LogEntry[] } {
  const log =
    (level: LogEntry['level']) =>
    (message: string, ...extra: unknown[]) => {
      const attributes = Object.assign({}, keys, ...extra.filter((e) => e && typeof e === 'object'));
      entries.push({ level, message, attributes });
    };
  const logger = {
    entries,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    createChild: (options?: { persistentKeys?: Record<string, unknown> }) =>
      recordingLogger(entries, { ...keys, ...options?.persistentKeys }),
  };
  return logger as unknown as Logger & { entries: LogEntry[] };
}
