import { afterAll, beforeAll } from 'vitest';
import { loadBundledHandler, type BundledHandler } from './bundle';
import { lambdaEnvironment } from './environment';
import { startFakeEventBridge, type FakeEventBridge } from './fake-eventbridge';

/**
 * Registers the suite's setup: a fake EventBridge on 127.0.0.1, a table in the test run's
 * DynamoDB Local, and the BUNDLED handler loaded with that environment. Read the parts
 * through the returned object once beforeAll has run.
 */
export function useBundledHandlerWithBus() {
  const ctx = {} as {
    env: Awaited<ReturnType<typeof lambdaEnvironment>>;
    eventBridge: FakeEventBridge;
    handler: BundledHandler;
  };
  beforeAll(async () => {
    ctx.eventBridge = await startFakeEventBridge();
    ctx.env = await lambdaEnvironment({ EVENTBRIDGE_ENDPOINT: ctx.eventBridge.endpoint });
    ctx.handler = await loadBundledHandler(ctx.env.env);
  });
  afterAll(async () => {
    await ctx.env?.destroy();
    await ctx.eventBridge?.close();
  });
  return ctx;
}
