/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signup } from '../integration/budgets/helpers';
import { launchChromium } from '../support/browser';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The report page as people see it, rendered by headless Chromium on a phone (390 px) and a
 * laptop (1280 px): nothing wider than the screen, the charts scaled to fit, and no amount
 * label hidden under a limit marker. Screenshots are kept in test-artifacts/ (git-ignored;
 * CI can upload them) to look at.
 */
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const clock = fixedClock('2026-10-10T12:00:00Z');
let t: TestSystem;
let browser: Browser;
let html: string;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  const owner = await signup(t.app, 'owner');
  const budget = await createBudget(t.app, owner, {
    name: 'The Household of Ada and Grace Lovelace-Hopper',
    currency: 'EUR',
    limit: 150_000,
    categories: [
      { name: 'Groceries and household supplies', limit: 40_000 },
      { name: 'Rent', limit: 90_000 },
      // A savings target (October, the first period: nothing carried, 73.20 spent of 50.00: -23.20 remaining;
      // October..March, 6 periods: -23.20 + 5 x 50.00 < 600.00, behind; (600.00 - (-23.20 - 50.00)) / 6 = 112.20 a period).
      { name: 'Transport', limit: 5_000, rollover: true, target: { amount: 60_000, by: '2027-03-31' } },
    ],
  });
  const [groceries, rent, transport] = budget.categories;
  await addExpense(t.app, owner, budget.id, { amount: 38_950, occurredOn: '2026-10-04', categoryId: groceries!.id, merchant: 'Supermarket' });
  await addExpense(t.app, owner, budget.id, { amount: 90_000, occurredOn: '2026-10-01', categoryId: rent!.id, merchant: 'Landlord' });
  await addExpense(t.app, owner, budget.id, { amount: 7_320, occurredOn: '2026-10-18', categoryId: transport!.id, merchant: 'Railways' });
  await addExpense(t.app, owner, budget.id, { amount: 1_999, occurredOn: '2026-10-29' });
  clock.set('2026-11-02T00:00:00Z');
  owner.token = await t.system.deps.tokens.sign({ userId: owner.id });
  const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-01' } });
  expect(created.status, created.text).toBe(201);
  const page = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  html = page.text;
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.destroy();
});

describe('the report page in a browser', () => {
  it.each([390, 1280])('fits a %i px wide screen, charts scaled, labels clear of the limit markers', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.setContent(html);
    await page.screenshot({ path: join(ARTIFACTS, `report-page-${width}px.png`), fullPage: true });

    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      svgs: [...document.querySelectorAll('svg')].map((s) => s.getBoundingClientRect().right),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth); // no horizontal scroll
    expect(layout.svgs).toHaveLength(2);
    for (const right of layout.svgs) expect(right).toBeLessThanOrEqual(width);

    // In the category chart, no text overlaps a dashed limit marker.
    const overlaps = await page.evaluate(() => {
      const svg = document.querySelector('svg')!;
      const boxes = (selector: string) => [...svg.querySelectorAll(selector)].map((e) => ({ e, r: e.getBoundingClientRect() }));
      const markers = boxes('line[stroke-dasharray]');
      return boxes('text').flatMap(({ e, r }) =>
        markers.filter(({ r: m }) => m.left < r.right && m.right > r.left && m.top < r.bottom && m.bottom > r.top).map(() => e.textContent),
      );
    });
    expect(overlaps).toEqual([]);
    expect(await page.locator('svg').first().locator('line[stroke-dasharray]').count()).toBe(3);
    expect(await page.locator('body').innerText()).toContain("dashed marker: the category's limit");

    // The target row: its words shown whole on the screen, under Transport's row, the status in the red of "over".
    const target = page.locator('tr.target td');
    expect(await target.innerText()).toBe('Target 600.00 by 2027-03-31 · 112.20 a period · Behind');
    const rows = await page.evaluate(() => {
      const row = document.querySelector('tr.target')!;
      const box = row.getBoundingClientRect();
      return { above: row.previousElementSibling?.querySelector('td')?.textContent, right: box.right, height: box.height };
    });
    expect(rows.above).toBe('Transport');
    expect(rows.right).toBeLessThanOrEqual(width);
    expect(rows.height).toBeGreaterThan(0);
    expect(await page.locator('.target-behind').evaluate((e) => getComputedStyle(e).color)).toBe('rgb(192, 57, 43)');
    await page.close();
  }, 60_000);

  it("keeps every chart label inside its chart, amounts of five digits and more in the viewer's locale too", async () => {
    // A household's rent of 12,345.67 of 15,000.00 (EUR): "12345.67 of 15000.00" after the longest bar
    // ran past the chart's right edge, its last digits cut; in German ("12.345,67 € von 15.000,00 €") more so.
    clock.set('2026-10-10T12:00:00Z');
    const owner = await signup(t.app, 'big');
    const budget = await createBudget(t.app, owner, {
      name: 'Big',
      currency: 'EUR',
      limit: 2_000_000,
      categories: [{ name: 'Rent', limit: 1_500_000 }, { name: 'Food', limit: 300_000 }],
    });
    const [rent, food] = budget.categories;
    await addExpense(t.app, owner, budget.id, { amount: 1_234_567, occurredOn: '2026-10-04', categoryId: rent!.id });
    await addExpense(t.app, owner, budget.id, { amount: 345_678, occurredOn: '2026-10-05', categoryId: food!.id });
    clock.set('2026-11-02T00:00:00Z');
    owner.token = await t.system.deps.tokens.sign({ userId: owner.id });
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-01' } });
    expect(created.status, created.text).toBe(201);
    for (const locale of [null, 'de-DE']) {
      expect((await as(t.app, owner)('PATCH', '/v1/me', { body: { locale } })).status).toBe(200);
      const res = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.setContent(res.text);
        await page.screenshot({ path: join(ARTIFACTS, `report-page-big-${locale ?? 'plain'}-${width}px.png`), fullPage: true });
        expect(await textsOutsideTheirChart(page), `${locale ?? 'no locale'}, ${width} px`).toEqual([]);
        await page.close();
      }
    }
  }, 60_000);

  it("keeps the cumulative chart's axis labels inside it: an Indonesian household's month in rupiah (id-ID)", async () => {
    // Rp 15,000,000.00 a month (about 950 USD): the axis reads "Rp 20.000.000,00", which ran past the chart's left edge.
    clock.set('2026-10-10T12:00:00Z');
    const owner = await signup(t.app, 'rupiah');
    expect((await as(t.app, owner)('PATCH', '/v1/me', { body: { locale: 'id-ID' } })).status).toBe(200);
    const budget = await createBudget(t.app, owner, { name: 'Rumah', currency: 'IDR', limit: 1_500_000_000, categories: [{ name: 'Sewa', limit: 600_000_000 }] });
    await addExpense(t.app, owner, budget.id, { amount: 550_000_000, occurredOn: '2026-10-04', categoryId: budget.categories[0]!.id });
    await addExpense(t.app, owner, budget.id, { amount: 425_000_000, occurredOn: '2026-10-12' });
    clock.set('2026-11-02T00:00:00Z');
    owner.token = await t.system.deps.tokens.sign({ userId: owner.id });
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-01' } });
    expect(created.status, created.text).toBe(201);
    const res = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(res.text).toContain('Rp\u00A020.000.000,00</text>'); // Intl's no-break space after the sign
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.setContent(res.text);
      await page.screenshot({ path: join(ARTIFACTS, `report-page-idr-${width}px.png`), fullPage: true });
      expect(await textsOutsideTheirChart(page), `${width} px`).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it('keeps a long category name in capitals inside the bar chart: cut to its characters, drawn within the chart', async () => {
    // 25 capitals and "…" (the label's 26 characters) are wider than the 172 units left of the bars.
    clock.set('2026-10-10T12:00:00Z');
    const owner = await signup(t.app, 'capitals');
    const budget = await createBudget(t.app, owner, {
      name: 'Caps',
      currency: 'EUR',
      limit: 100_000,
      categories: [{ name: 'HOUSEHOLD SUPPLIES AND GROCERIES', limit: 50_000 }, { name: 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW', limit: 10_000 }],
    });
    await addExpense(t.app, owner, budget.id, { amount: 12_345, occurredOn: '2026-10-04', categoryId: budget.categories[0]!.id });
    clock.set('2026-11-02T00:00:00Z');
    owner.token = await t.system.deps.tokens.sign({ userId: owner.id });
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-01' } });
    expect(created.status, created.text).toBe(201);
    const res = await as(t.app, owner)('GET', created.headers.get('location')!, { headers: { accept: 'text/html' } });
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.setContent(res.text);
      await page.screenshot({ path: join(ARTIFACTS, `report-page-capitals-${width}px.png`), fullPage: true });
      expect(await textsOutsideTheirChart(page), `${width} px`).toEqual([]);
      await page.close();
    }
  }, 60_000);
});

/** The texts of the page's charts that are not wholly inside their chart's box (cut by its edge). */
function textsOutsideTheirChart(page: Page): Promise<(string | null)[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg')].flatMap((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.left < box.left || r.right > box.right;
        })
        .map((e) => e.textContent);
    }),
  );
}
