import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../support/openapi';

/** Every recurring-expense route is in /v1/openapi.json with its schemas, headers and errors. */
let doc: any;

beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const COLLECTION = '/v1/budgets/{budgetId}/recurring-expenses';
const ITEM = '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}';
const ROUTES: [string, string, number, number[]][] = [
  ['post', COLLECTION, 201, [400, 401, 403, 404, 409, 422]],
  ['get', COLLECTION, 200, [400, 401, 404]],
  ['get', ITEM, 200, [401, 404]],
  ['patch', ITEM, 200, [400, 401, 403, 404, 412]],
  ['delete', ITEM, 204, [401, 403, 404, 412]],
];

const paramNames = (op: { parameters?: { name: string }[] }) => (op.parameters ?? []).map((p) => p.name.toLowerCase());

describe('OpenAPI document of recurring expenses', () => {
  it.each(ROUTES)('%s %s is documented', (method, path, success, errors) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.tags).toEqual(['Recurring expenses']);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.responses[String(success)]).toBeDefined();
    for (const status of errors) {
      expect(op.responses[String(status)].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    if (path === ITEM) expect(paramNames(op)).toContain('recurringexpenseid');
    if (method === 'post') expect(paramNames(op)).toContain('idempotency-key');
    if (method === 'patch' || method === 'delete') expect(paramNames(op)).toContain('if-match');
  });

  it('documents the schedule, refusing unknown fields at both levels', () => {
    const schemas = doc.components.schemas;
    expect(schemas.CreateRecurringExpense.additionalProperties).toBe(false);
    expect(schemas.UpdateRecurringExpense.additionalProperties).toBe(false);
    expect(schemas.RecurringSchedule.additionalProperties).toBe(false);
    expect(schemas.RecurringSchedule.properties.frequency.enum).toEqual(['daily', 'weekly', 'monthly', 'yearly']);
    expect(schemas.RecurringSchedule.required).toEqual(['frequency']);
    expect(schemas.RecurringExpense.properties.nextOccurrenceOn.example).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(schemas.RecurringExpenseList.properties.items.items).toEqual({ $ref: '#/components/schemas/RecurringExpense' });
  });
});
