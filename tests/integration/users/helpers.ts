import { createHmac, hkdfSync } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { App } from '../../../packages/app/src/http/create-app';
import { signUp } from '../../support/actors';
import { tableItems } from '../../support/events';
import { TEST_SIGNING_KEY } from '../../support/test-system';

/** Shared steps of the users tests: unique emails, a signed-up account, problem assertions. */
export { PASSWORD, uniqueEmail } from '../../support/actors';

export interface Account {
  email: string;
  password: string;
  user: { id: string; email: string; name: string | null; timezone: string; currency: string; notifications: { email: { budgetAlerts: boolean }; push: { budgetAlerts: boolean; comments: boolean } }; version: number };
  accessToken: string;
  refreshToken: string;
}

/** A signed-up account; `body` adds signup fields or replaces the email or password. */
export async function signup(app: App, body: Record<string, unknown> = {}): Promise<Account> {
  const actor = await signUp(app, 'user', body);
  return { email: actor.email, password: actor.password, user: actor.user, accessToken: actor.token, refreshToken: actor.refreshToken };
}

export { expectProblem } from '../../support/problem';

/** Every item of the test's own table (tests may scan; modules never do). */
export { tableItems as scanTable } from '../../support/events';

/** The events the users module wrote to its outbox, parsed. */
export async function outboxEvents(doc: DynamoDBDocumentClient, tableName: string) {
  const items = await tableItems(doc, tableName);
  return items
    .filter((i) => i.kind === 'outbox' && String(i.pk).startsWith('users#'))
    .map((i) => ({ source: i.source as string, detailType: i.detailType as string, detail: JSON.parse(i.detail) }));
}

/**
 * The sign-in throttle's keys as packages/users/docs/throttling.md defines them ("What the keys hold"), computed
 * here rather than with the module's code: keyed hashes of the email and of (email, client
 * bucket), under a key derived from the test signing key; the bucket `unknown` as it is.
 */
export function throttleKeysOf(email: string, signingKey: string = TEST_SIGNING_KEY) {
  const key = Buffer.from(hkdfSync('sha256', signingKey, '', 'users-throttle-id-hmac-sha256', 32));
  const id = (...parts: string[]) => createHmac('sha256', key).update(parts.join('\n'), 'utf8').digest().subarray(0, 12).toString('base64url');
  const client = (bucket: string) => (bucket === 'unknown' ? bucket : id('client', email, bucket));
  return {
    pk: `users#throttle#${id('email', email)}`,
    clientSk: (bucket: string) => `users#throttle#client#${client(bucket)}`,
    knownSk: (bucket: string) => `users#throttle#known#${client(bucket)}`,
    addressPk: (bucket: string) => `users#address#${id('address', bucket)}`,
  };
}
