import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../support/openapi';

/**
 * Every create that a full collection refuses documents that 409 as what it answers: the
 * `limit-reached` type with `limit` and `collection` (problems.limitReached), and no text of the
 * operation still calls that refusal the generic `conflict` (a client reads the description to
 * know what to match on). The sizes are written here by hand from the docs (docs/capacity.md
 * "What one account can grow"), not read from the code under test.
 */
let doc: any;
beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const B = '/v1/budgets/{budgetId}';
const LIMIT_REACHED = 'https://budgeting.dev/problems/limit-reached';

/** method, path, the collection it can fill, its size. */
const CAPPED_CREATES: [string, string, string, number][] = [
  ['post', '/v1/budgets', 'budgets', 100],
  // A copy is a budget the caller owns: past 100 it is the same refusal as a create's.
  ['post', `${B}/copy`, 'budgets', 100],
  ['post', '/v1/webhooks', 'webhooks', 20],
  ['post', `${B}/members`, 'members', 50],
  ['post', '/v1/invitations/accept', 'members', 50],
  ['post', `${B}/invitations`, 'invitations', 20],
  ['post', `${B}/settlements`, 'settlements', 10_000],
  ['post', `${B}/rules`, 'rules', 100],
  ['post', `${B}/merchants/rename`, 'rules', 100],
  ['post', `${B}/recurring-expenses`, 'recurringExpenses', 500],
  ['post', `${B}/recurring-income`, 'recurringIncome', 100],
  ['post', `${B}/import-profiles`, 'importProfiles', 20],
  ['post', `${B}/expenses/{expenseId}/attachments`, 'attachments', 10],
  ['post', `${B}/expenses/{expenseId}/comments`, 'comments', 200],
  ['post', `${B}/calendar-feeds`, 'calendarFeeds', 5],
];

describe('the 409 of a full collection (limit-reached)', () => {
  it.each(CAPPED_CREATES)('%s %s documents limit-reached for %s (limit %i), and calls it nothing else', (method, path, collection, limit) => {
    const operation = doc.paths[path]?.[method];
    expect(operation, `${method} ${path}`).toBeDefined();
    const example = operation.responses['409']?.content?.['application/problem+json']?.example;
    expect(example).toMatchObject({ type: LIMIT_REACHED, title: 'Limit reached', status: 409, limit, collection });
    expect(example.detail).toContain(String(limit));
    // The cap's refusal is not described as the generic type any more ("409 `conflict` saying so").
    expect(operation.description ?? '').not.toMatch(/409 `conflict` saying so/);
  });

  it('the personal tokens keep their own type, and its example shows the `limit` and `collection` the answer carries', () => {
    const example = doc.paths['/v1/me/tokens'].post.responses['409'].content['application/problem+json'].example;
    expect(example).toMatchObject({ type: 'https://budgeting.dev/problems/personal-token-limit', status: 409, limit: 20, collection: 'personalTokens' });
  });
});
