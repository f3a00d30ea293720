import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). One root logger per process; each request or event gets
 * a child carrying its requestId, so concurrent requests in the local server never mix ids.
 */
export type { Logger };

export function createLogger(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' = 'INFO'): Logger {
  return new Logger({ serviceName: 'budgeting', logLevel: level });
}
