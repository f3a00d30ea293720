import { APNS_APP, snsPush } from './sns-push';
import { createTestSystem, type TestSystemOptions } from './test-system';

/**
 * How an event reaches people, for the tests that follow one from its write to the person:
 * Amazon SNS push mocked (`push`: snsPush, reset it in a beforeEach, restore it in afterAll) and
 * the webhooks' poster a recorder (`posted`: every delivery's URL and body, answered 204), with
 * the push application configured and local webhook URLs allowed. `start` creates the test system
 * with the file's own options (clock, expenses tuning, more environment).
 */
export function notifiedSystem() {
  const push = snsPush();
  const posted: { url: string; body: string }[] = [];
  return {
    push,
    posted,
    start: (options: Omit<TestSystemOptions, 'webhooks'> = {}) =>
      createTestSystem({
        ...options,
        env: { SNS_APNS_APPLICATION_ARN: APNS_APP, WEBHOOK_ALLOW_LOCAL_URLS: 'true', ...options.env },
        webhooks: {
          post: async (url, _headers, body) => {
            posted.push({ url, body });
            return { status: 204, latencyMs: 1, error: null };
          },
        },
      }),
  };
}
