/**
 * Second public entry, `@budgeting/platform/init`: only what a process needs before any module
 * is built (configuration, root logger, DynamoDB client, clock). The Lambda entry imports this
 * instead of the main entry so that a cold start does not load the HTTP stack (zod-openapi,
 * routers, JWT) that the main entry also re-exports: esbuild cannot drop re-exports another
 * chunk uses (see packages/app/src/lambda/handler.ts). Same modules as the main entry, so
 * there is one config, one logger class, one client factory.
 */
export { loadConfig, type AppConfig } from './config';
export { createLogger, type Logger } from './logger';
export { createDynamoClients } from './dynamo/client';
export { systemClock, type Clock } from './clock';
export { loadOnce } from './load-once';
