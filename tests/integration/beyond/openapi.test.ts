import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../support/openapi';

/** The offline push, activity and notification routes are in /v1/openapi.json with operationIds, examples and errors. */
let doc: any;

beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const ROUTES: [string, string, string, number, number[]][] = [
  ['post', '/v1/budgets/{budgetId}/changes', 'pushChanges', 200, [400, 401, 403, 404, 422]],
  ['get', '/v1/budgets/{budgetId}/activity', 'listBudgetActivity', 200, [400, 401, 404]],
  ['get', '/v1/notifications', 'listNotifications', 200, [400, 401]],
  ['post', '/v1/notifications/{notificationId}/read', 'markNotificationRead', 200, [401, 404]],
  ['post', '/v1/me/devices', 'registerDevice', 201, [400, 401, 403]],
  ['delete', '/v1/me/devices/{deviceId}', 'removeDevice', 204, [401, 403, 404]],
];

describe('OpenAPI document of offline push, activity and notifications', () => {
  it.each(ROUTES)('%s %s is documented as %s', (method, path, operationId, success, errors) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.operationId).toBe(operationId);
    expect(op.summary).toEqual(expect.any(String));
    // Devices are account management (/v1/me): a session's token only; the rest takes a personal access token too.
    expect(op.security).toEqual(path.startsWith('/v1/me/') ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, { personalAccessToken: [] }]);
    expect(op.responses[String(success)]).toBeDefined();
    for (const status of errors) {
      expect(op.responses[String(status)].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
  });

  it('carries examples for the bodies and the answers', () => {
    const s = doc.components.schemas;
    // Three expense mutations, an income entry's create (`type: income`), a recurring expense paused offline, another's next bill recorded.
    expect(s.PushChanges.example.mutations.map((m: any) => `${m.type ?? 'expense'} ${m.op}`)).toEqual(['expense create', 'expense update', 'expense delete', 'income create', 'recurringExpense update', 'recurringExpense recordNext']);
    expect(s.PushResults.example.results.map((r: any) => r.status)).toEqual(['applied', 'conflict', 'applied', 'applied', 'applied', 'applied']);
    expect(s.ActivityPage.example.items[0]).toMatchObject({ action: 'expense.updated', changes: { amount: { before: 1250, after: 1400 } } });
    expect(s.Notification.example).toMatchObject({ kind: 'budget.alert', threshold: 80 });
    expect(s.RegisterDevice.example).toMatchObject({ platform: 'apns' });
    expect(s.User.example.notifications).toEqual({ email: { budgetAlerts: true, reports: true }, push: { budgetAlerts: true, comments: false, imports: true, bills: true, income: false }, quietHours: { from: '22:00', to: '07:00', summary: true } });
    expect(doc.paths['/v1/budgets/{budgetId}/changes'].post.parameters.map((p: any) => p.name.toLowerCase())).toContain('idempotency-key');
  });
});
