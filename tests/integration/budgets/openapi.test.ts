import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../support/openapi';

/** Every budgets route is in /v1/openapi.json with a summary, tags, schemas, examples and errors. */
let doc: any;

beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const ROUTES: [string, string, string, number][] = [
  ['post', '/v1/budgets', 'budgets', 201],
  ['get', '/v1/budgets', 'budgets', 200],
  ['get', '/v1/budgets/{budgetId}', 'budgets', 200],
  ['patch', '/v1/budgets/{budgetId}', 'budgets', 200],
  ['delete', '/v1/budgets/{budgetId}', 'budgets', 204],
  ['get', '/v1/budgets/{budgetId}/summary', 'budgets', 200],
  ['get', '/v1/budgets/{budgetId}/members', 'members', 200],
  ['post', '/v1/budgets/{budgetId}/members', 'members', 201],
  ['patch', '/v1/budgets/{budgetId}/members/{userId}', 'members', 200],
  ['delete', '/v1/budgets/{budgetId}/members/{userId}', 'members', 204],
];

describe('OpenAPI document of the budgets module', () => {
  it.each(ROUTES)('%s %s is documented', (method, path, tag, success) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.summary).toEqual(expect.any(String));
    expect(op.tags).toEqual([tag]);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.responses[String(success)]).toBeDefined();
    expect(op.responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    if (path.includes('{budgetId}')) expect(op.responses['404']).toBeDefined();
    if (['post', 'patch'].includes(method)) {
      const body = op.requestBody.content['application/json'].schema;
      // The new budget's body is inline (its defaults stay optional in generated clients).
      if (path === '/v1/budgets') expect(body.required).toEqual(['name', 'limit']);
      else expect(body.$ref).toMatch(/^#\/components\/schemas\//);
      expect(op.responses['400']).toBeDefined();
    }
    if (['patch', 'delete'].includes(method) && !path.includes('members')) {
      expect(op.parameters.map((p: { name: string }) => p.name.toLowerCase())).toContain('if-match');
      expect(op.responses['412']).toBeDefined();
    }
    if (method === 'post') expect(op.parameters.map((p: { name: string }) => p.name.toLowerCase())).toContain('idempotency-key');
  });

  it('carries examples for request bodies and the main response schemas', () => {
    const schemas = doc.components.schemas;
    for (const name of ['UpdateBudget', 'AddMember', 'ChangeMember']) {
      expect(schemas[name].example, name).toBeDefined();
    }
    expect(doc.paths['/v1/budgets'].post.requestBody.content['application/json'].schema.example).toBeDefined();
    expect(schemas.Budget.properties.limit.example).toEqual(expect.any(Number));
    expect(schemas.BudgetSummary.properties.thresholdsCrossed.example).toEqual(expect.any(Array));
    expect(schemas.Member.properties.email.example).toEqual(expect.any(String));
  });
});
