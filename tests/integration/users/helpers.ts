import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { call } from '../../support/http';

/** Shared steps of the users tests: unique emails, a signed-up account, problem assertions. */
let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

export interface Account {
  email: string;
  password: string;
  user: { id: string; email: string; name: string | null; timezone: string; currency: string };
  accessToken: string;
  refreshToken: string;
}

export async function signup(app: App, body: Record<string, unknown> = {}): Promise<Account> {
  const email = (body.email as string | undefined) ?? uniqueEmail();
  const password = (body.password as string | undefined) ?? PASSWORD;
  const res = await call(app, 'POST', '/v1/auth/signup', { body: { email, password, ...body } });
  expect(res.status, res.text).toBe(201);
  return {
    email,
    password,
    user: res.json.user,
    accessToken: res.json.tokens.accessToken,
    refreshToken: res.json.tokens.refreshToken,
  };
}

export { expectProblem } from '../../support/problem';

/** Every item of the test's own table (tests may scan; modules never do). */
export async function scanTable(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The events the users module wrote to its outbox, parsed. */
export async function outboxEvents(doc: DynamoDBDocumentClient, tableName: string) {
  const items = await scanTable(doc, tableName);
  return items
    .filter((i) => i.kind === 'outbox' && String(i.pk).startsWith('users#'))
    .map((i) => ({ source: i.source as string, detailType: i.detailType as string, detail: JSON.parse(i.detail) }));
}
