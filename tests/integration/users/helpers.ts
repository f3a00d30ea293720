import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { App } from '../../../packages/app/src/http/create-app';
import { signUp } from '../../support/actors';
import { tableItems } from '../../support/events';

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
