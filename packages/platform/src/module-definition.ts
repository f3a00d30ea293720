import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccessTokens } from './auth/access-tokens';
import type { Clock } from './clock';
import type { AppConfig } from './config';
import type { ModuleStore } from './dynamo/module-store';
import type { EventContract, EventEnvelope } from './events/contract';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './http/app-env';
import type { IdempotencyOptions, ReplayGuard } from './http/idempotency';
import type { CursorCodec } from './http/cursor';
import type { Router } from './http/router';
import type { FanOutJob, WorkQueue } from './jobs/fan-out';

/**
 * What the composition root hands to every module. There is deliberately no raw DynamoDB
 * client here: a module reaches the table only through its prefix-guarded `storeFor(module)`.
 */
export interface PlatformDeps {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  tokens: AccessTokens;
  /** The module's prefix-guarded view of the one table. */
  storeFor(module: string): ModuleStore;
  /**
   * Idempotency-Key support: put it on every creating POST route, AFTER requireAuth, with the
   * route's access check as `mayReplay` (run before a stored answer is replayed; `callerAlone`
   * for routes that create under the caller only). A route whose answer carries a secret
   * passes `options.sealer`, so the stored answer is sealed at rest (http/idempotency.ts).
   */
  idempotent(mayReplay: ReplayGuard, options?: IdempotencyOptions): MiddlewareHandler<AppEnv>;
  /**
   * Idempotency-Key whose record joins the route's own transaction (http/idempotent-write.ts):
   * for creating POSTs that write once and know their answer before writing.
   */
  idempotentWrite: MiddlewareHandler<AppEnv>;
  /** Encrypted pagination cursors bound to their list. */
  cursors: CursorCodec;
  /** Hands units of fan-out jobs (cascades) to later invocations: see jobs/fan-out.ts. */
  work: WorkQueue;
}

export interface HandlerContext {
  logger: Logger;
  /** Set by a queue that knows it: this is the message's last attempt (see WorkContext). */
  lastAttempt?: boolean;
}

/** A module's reaction to events of other modules (or its own). Must be idempotent. */
export interface Subscription {
  /** Unique, stable name: used for the inbox and for the bus rule's name. */
  name: string;
  events: EventContract[];
  handle(event: EventEnvelope, ctx: HandlerContext): Promise<void>;
}

/** A job run by an EventBridge schedule (locally: by a timer). */
export interface ScheduledJob {
  name: string;
  /** EventBridge schedule expression, e.g. "rate(1 hour)" or "cron(5 0 * * ? *)". */
  schedule: string;
  run(time: Date, ctx: HandlerContext): Promise<void>;
}

/**
 * A one-off operator operation with arguments, run by hand (`npm run job -- <name> --<option>
 * <value> ...`, packages/app/src/local/job-cli.ts), never scheduled or queued: e.g. support
 * turning two-factor sign-in off for a user who lost every factor. What it changed goes to
 * the log and into its own durable records; the CLI prints `summary` as JSON.
 */
export interface OperatorOperation {
  /** Unique among jobs and operations (the CLI's first argument). */
  name: string;
  /** Its options, all strings: name -> one line for the usage text. The CLI adds `operator` (who runs it) to every one. */
  options: Record<string, string>;
  /** Throws OperatorInputError for a refused input (nothing changed); `ok: false` when a step after the change failed. */
  run(args: Record<string, string | undefined>, ctx: HandlerContext): Promise<{ ok: boolean; summary: Record<string, unknown> }>;
}

/** An operator operation's refusal of its input (a missing reason, an unknown account): nothing was changed. */
export class OperatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorInputError';
  }
}

/** One route's handlers for the requests `accepts` lets through (ModuleRuntime.shortcuts). */
export interface RouteShortcut {
  accepts(c: Context<AppEnv>): boolean;
  handlers: MiddlewareHandler<AppEnv>[];
}

/** The runtime parts of a module, assembled by the app package. */
export interface ModuleRuntime {
  name: string;
  /**
   * Builds the module's router (its `routes/index.ts`, loaded with `import()` so esbuild puts
   * it and its zod schemas in a chunk of their own). The app calls it when the first request
   * reaches one of the module's routes (app/src/http/module-routes.ts), so a cold start loads
   * and builds only the routes its request needs.
   */
  routes?: () => Promise<Router>;
  /**
   * Routes answered without building the router, for the requests a plain check accepts
   * (issue 11: a cold first summary then needs neither zod nor the OpenAPI libraries). Keyed
   * `METHOD path` as in the route manifest. `accepts` must accept only requests the router's
   * validators accept, and `handlers` must behave as the router's route does for them; every
   * other request goes to the router, so invalid input gets the router's own 400.
   */
  shortcuts?: Record<string, RouteShortcut>;
  subscriptions?: Subscription[];
  schedules?: ScheduledJob[];
  /** Fan-out jobs (jobs/fan-out.ts): scheduled ones get a planner tick, the rest are cascades. */
  jobs?: FanOutJob[];
  /** Operator operations with arguments, run by hand through the job CLI (OperatorOperation). */
  operations?: OperatorOperation[];
}
