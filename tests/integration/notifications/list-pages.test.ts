import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { spentToLimit } from './alerts-helper';

/**
 * GET /v1/notifications?limit&cursor: pages of the caller's notifications, newest first, whose
 * last page says it is the last (`nextCursor: null`, the spec's list convention), never a
 * cursor that leads to a page of nothing.
 */
const clock = fixedClock('2026-11-24T12:00:00.000Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
});
afterAll(async () => {
  await t.destroy();
});

const alerts = (who: Actor, alertThresholds: number[]) => spentToLimit(t, who, alertThresholds);

describe('the notifications list in pages', { timeout: 60_000 }, () => {
  it('a page holding the last notification has no cursor; walking by 1 shows each once and ends without an empty page', async () => {
    await alerts(owner, [50, 100]);
    const all = await as(t.app, owner)('GET', '/v1/notifications');
    expect(all.status, all.text).toBe(200);
    expect(all.json.items).toHaveLength(2);
    expect(all.json.nextCursor).toBeNull();

    // Exactly a page's worth: the page is the last one.
    const exact = await as(t.app, owner)('GET', '/v1/notifications?limit=2');
    expect(exact.json.items.map((n: any) => n.id)).toEqual(all.json.items.map((n: any) => n.id));
    expect(exact.json.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const res = await as(t.app, owner)('GET', `/v1/notifications?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.items).toHaveLength(1);
      seen.push(...res.json.items.map((n: any) => n.id));
      cursor = res.json.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(all.json.items.map((n: any) => n.id));
  });
});
