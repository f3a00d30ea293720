import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { signUp, tokenAtClock } from '../../support/actors';

const clock = fixedClock('2026-01-01T00:30:00Z');
let t: TestSystem;
let openapi: any;
beforeAll(async () => {
  t = await createTestSystem({ clock, env: { API_RATE_LIMIT_PER_MINUTE: '1000000' } });
  openapi = (await call(t.app, 'GET', '/v1/openapi.json')).json;
}, 60_000);
afterAll(() => t.destroy());

const MAXA = 1_000_000_000_000;
it('probe', { timeout: 600_000 }, async () => {
  const out: string[] = [];
  for (const period of ['weekly', 'monthly', 'yearly']) {
    clock.set('2026-01-01T00:30:00Z');
    const owner = await signUp(t.app, 'p');
    let token = owner.token;
    const send = async (m: string, p: string, body?: unknown) => {
      const r = await call(t.app, m, p, { token, ...(body === undefined ? {} : { body }) });
      if (r.status >= 500 || (r.status >= 400 && m === 'GET')) out.push(`${period} ${m} ${p} ${r.status} ${r.text.slice(0, 300)}`);
      return r;
    };
    const b = await send('POST', '/v1/budgets', {
      name: 'B', currency: 'USD', period, limit: MAXA, rollover: true, alertThresholds: [1, 1000],
      categories: Array.from({ length: 50 }, (_, i) => ({ name: `C${i}`, limit: MAXA, rollover: true, ...(i < 3 ? { target: { amount: MAXA, by: '9998-12-31' } } : {}) })),
    });
    const budget = b.json;
    const cat = budget.categories[0].id;
    for (let i = 0; i < 25; i++) await send('POST', `/v1/budgets/${budget.id}/expenses`, { amount: MAXA, occurredOn: '2026-01-01', categoryId: budget.categories[i % 50].id, merchant: 'Acme' });
    await send('POST', `/v1/budgets/${budget.id}/income`, { amount: MAXA, receivedOn: '2026-01-01', source: 'Pay' });
    for (let i = 0; i < 5; i++) await send('POST', `/v1/budgets/${budget.id}/recurring-expenses`, { amount: MAXA, description: 'R', schedule: { frequency: 'daily', startsOn: '2026-01-01' } });
    await send('POST', `/v1/budgets/${budget.id}/recurring-income`, { amount: MAXA, source: 'Pay', schedule: { frequency: 'daily', startsOn: '2026-01-01' } });
    for (const when of ['2026-01-02T12:00:00Z', '2027-06-15T12:00:00Z']) {
      clock.set(when);
      token = await tokenAtClock(t, owner as any);
      for (const [path, ops] of Object.entries<any>(openapi.paths)) {
        if (!ops.get || !path.startsWith('/v1/budgets/{budgetId}/')) continue;
        if (/\{(?!budgetId)/.test(path)) continue;
        const p = path.replace('{budgetId}', budget.id);
        const queries = [''];
        const params = (ops.get.parameters ?? []).map((x: any) => x.name);
        if (params.includes('date')) queries.push('?date=9998-12-31', '?date=1900-01-01');
        if (params.includes('year')) queries.push('?year=9998', '?year=1900');
        if (params.includes('periods')) queries.push('?periods=24', '?periods=12', '?periods=6');
        if (params.includes('days')) queries.push('?days=366', '?days=90');
        if (params.includes('from') && params.includes('to')) queries.push('?from=2026-01-01&to=2026-12-31', '?from=2026-01&to=2027-12');
        if (params.includes('month')) queries.push('?month=9998-12', '?month=2026-01');
        if (params.includes('startingBalance')) queries.push('?startingBalance=9007199254740991', '?startingBalance=-9007199254740991');
        if (params.includes('merchant')) queries.push('?merchant=Acme');
        if (params.includes('by')) queries.push('?by=merchant', '?by=category', '?by=tag', '?by=member', '?by=group');
        for (const q of queries) {
          const r = await call(t.app, 'GET', p + q, { token });
          if (r.status >= 500 || r.status === 422 || (r.status === 400 && !/2\^53|MAX|exceed|exact|range|Must be|between|before|after|months|days/i.test(r.text))) out.push(`${period} ${when} GET ${path}${q} ${r.status} ${r.text.slice(0, 250)}`);
          else if (r.status === 200 && r.headers.get('content-type')?.includes('json')) {
            const bad: string[] = [];
            const walk = (v: any, k: string) => { if (typeof v === 'number' && !Number.isSafeInteger(v) && !Number.isFinite(v)) bad.push(k); if (typeof v === 'number' && Math.abs(v) > Number.MAX_SAFE_INTEGER) bad.push(k + '=' + v); if (v && typeof v === 'object') for (const [kk, vv] of Object.entries(v)) walk(vv, k + '.' + kk); };
            walk(r.json, '');
            if (bad.length) out.push(`${period} ${when} GET ${path}${q} UNSAFE ${bad.slice(0, 5).join(',')}`);
          }
        }
      }
    }
  }
  console.log('PROBE\n' + out.join('\n'));
  expect(true).toBe(true);
});
