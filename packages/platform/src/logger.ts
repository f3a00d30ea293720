import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Structured JSON logs (Powertools). One root logger per process; each request's access line
 * carries its requestId as an attribute (app/http/conventions.ts), each job message or event
 * gets a child carrying its ids, so concurrent work in the local server never mixes ids.
 * Every other line written while a request runs (a service's warning through the root logger)
 * carries the request's id too: the request runs inside `withLogContext` (asynchronous context,
 * so two requests of the local server at once keep theirs), and the formatter adds its keys.
 */
export type { Logger };

const logContext = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/** Runs `work` with `keys` (a request's id) on every log line written within it, by any logger. */
export function withLogContext<T>(keys: Record<string, string>, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...keys }, work);
}

/**
 * Powertools' standard keys, without `sampling_rate`: the app does not sample debug logs, so
 * the default formatter's `"sampling_rate":0` on every line said nothing. Lambda's own keys
 * (cold start, function, request id, X-Ray trace) stay; undefined ones disappear from the JSON.
 */
class AppLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    // The context's keys (withLogContext: the running request's id) first: a line's own attributes win.
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes({ ...logContext.getStore(), ...additional });
  }
}

export function createLogger(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' = 'INFO'): Logger {
  return new Logger({ serviceName: 'budgeting', logLevel: level, logFormatter: new AppLogFormatter() });
}
