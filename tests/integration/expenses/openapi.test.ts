import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../support/openapi';

/** Every expenses route is in /v1/openapi.json with its schemas, headers, examples and errors. */
let doc: any;

beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const COLLECTION = '/v1/budgets/{budgetId}/expenses';
const ITEM = '/v1/budgets/{budgetId}/expenses/{expenseId}';
const ROUTES: [string, string, number, number[]][] = [
  ['post', COLLECTION, 201, [400, 401, 403, 404, 409, 422]],
  ['get', COLLECTION, 200, [400, 401, 404]],
  ['get', ITEM, 200, [401, 404]],
  ['patch', ITEM, 200, [400, 401, 403, 404, 412]],
  ['delete', ITEM, 204, [401, 403, 404, 412]],
];

const paramNames = (op: { parameters?: { name: string }[] }) => (op.parameters ?? []).map((p) => p.name.toLowerCase());

describe('OpenAPI document of the expenses module', () => {
  it.each(ROUTES)('%s %s is documented', (method, path, success, errors) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.summary).toEqual(expect.any(String));
    expect(op.tags).toEqual(['Expenses']);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.responses[String(success)]).toBeDefined();
    for (const status of errors) {
      expect(op.responses[String(status)].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    expect(paramNames(op)).toContain('budgetid');
    if (path === ITEM) expect(paramNames(op)).toContain('expenseid');
    if (method === 'post') expect(paramNames(op)).toContain('idempotency-key');
    if (method === 'patch' || method === 'delete') expect(paramNames(op)).toContain('if-match');
    if (method === 'post' || method === 'patch') {
      expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/#\/components\/schemas\/(Create|Update)Expense$/);
    }
  });

  it('documents the list filters and pagination', () => {
    const names = paramNames(doc.paths[COLLECTION].get);
    expect(names).toEqual(expect.arrayContaining(['from', 'to', 'categoryid', 'limit', 'cursor']));
  });

  it('carries examples for the bodies and the expense', () => {
    const schemas = doc.components.schemas;
    expect(schemas.CreateExpense.example).toMatchObject({ amount: expect.any(Number) });
    expect(schemas.UpdateExpense.example).toBeDefined();
    expect(schemas.Expense.properties.amount.example).toEqual(expect.any(Number));
    expect(schemas.Expense.properties.occurredOn.example).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(schemas.ExpenseList.properties.items.items).toEqual({ $ref: '#/components/schemas/Expense' });
    // Unknown fields are refused, and the document says so.
    expect(schemas.CreateExpense.additionalProperties).toBe(false);
    expect(schemas.UpdateExpense.additionalProperties).toBe(false);
  });
});
