import { describe, expect, it } from 'vitest';
import { prefersHtml } from './html/negotiate';
import { text } from './html/escape';
import { periodOfReportId, reportGroupsOf, reportIdOf } from './domain/report-math';
import { reportEmail } from './html/report-email';
import type { Report } from '../model';

describe('prefersHtml (Accept negotiation, JSON by default)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['text/html', true],
    ['TEXT/HTML', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0, */*', false],
    ['text/*, application/json;q=0.9', true],
    ['text/html;q=abc', false],
  ])('%s -> html %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});

describe('report ids', () => {
  it('are the period, and only real periods parse back', () => {
    expect(reportIdOf({ start: '2026-10-01', end: '2026-10-31' })).toBe('20261001-20261031');
    expect(periodOfReportId('20261001-20261031')).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    for (const bad of ['20261032-20261101', '20261031-20261001', '2026-10-01', '20261001_20261031', '']) {
      expect(periodOfReportId(bad)).toBeNull();
    }
  });
});

describe('escaping', () => {
  it('turns every markup character into an entity', () => {
    expect(text(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('report groups', () => {
  const lines: Report['byCategory'] = [
    { categoryId: 'a', name: 'Rent', limit: 50_000, group: 'Bills', spent: 50_000 },
    { categoryId: 'b', name: 'Food', limit: null, group: 'Everyday', spent: 1_234 },
    { categoryId: 'c', name: 'Gifts', limit: null, group: null, spent: 900 },
    { categoryId: 'd', name: 'Power', limit: 7_000, group: 'Bills', spent: 7_777 },
  ];

  it('sums each group over its own lines, in the order of its first category; ungrouped lines in none', () => {
    expect(reportGroupsOf(lines)).toEqual([
      { name: 'Bills', categoryIds: ['a', 'd'], limit: 57_000, spent: 57_777 },
      { name: 'Everyday', categoryIds: ['b'], limit: null, spent: 1_234 },
    ]);
    expect(reportGroupsOf(lines.map((l) => ({ ...l, group: null })))).toEqual([]);
  });

  it("are a table in the email's text part, only when there are groups", () => {
    const report: Report = {
      id: '20261001-20261031', budgetId: 'b1', budgetName: 'Home', ownerId: 'u1', periodStart: '2026-10-01', periodEnd: '2026-10-31',
      currency: 'EUR', limit: 100_000, carriedOver: 0, available: 100_000, spent: 59_911, remaining: 40_089,
      byCategory: lines, groups: reportGroupsOf(lines), uncategorizedSpent: 0, byDay: [], topMerchants: [], previousPeriod: null,
      generatedAt: '2026-11-01T00:00:00.000Z',
    };
    const text = reportEmail(report, 'a@example.com', 'm1').text;
    expect(text).toMatch(/^Group +Limit +Spent +Left$/m);
    expect(text).toMatch(/^Bills +570\.00 +577\.77 +-7\.77$/m);
    expect(text).toMatch(/^Everyday +- +12\.34 +-$/m);
    expect(reportEmail({ ...report, groups: [] }, 'a@example.com', 'm1').text).not.toContain('Group');
  });
});

describe('category rollover in the report email', () => {
  it("shows what a rollover category carried in next to its limit, and what is left of its available", () => {
    const byCategory: Report['byCategory'] = [
      { categoryId: 'a', name: 'Food', limit: 10_000, group: null, carriedOver: 3_000, available: 13_000, spent: 6_000 },
      { categoryId: 'b', name: 'Power', limit: 7_000, group: null, spent: 7_777 },
    ];
    const report: Report = {
      id: '20261001-20261031', budgetId: 'b1', budgetName: 'Home', ownerId: 'u1', periodStart: '2026-10-01', periodEnd: '2026-10-31',
      currency: 'EUR', limit: 100_000, carriedOver: 0, available: 100_000, spent: 13_777, remaining: 86_223,
      byCategory, groups: [], uncategorizedSpent: 0, byDay: [], topMerchants: [], previousPeriod: null,
      generatedAt: '2026-11-01T00:00:00.000Z',
    };
    const text = reportEmail(report, 'a@example.com', 'm1').text;
    // 13,000 - 6,000 = 70.00 left (of the limit alone it would be 40.00).
    expect(text).toMatch(/^Food +100\.00 \(30\.00 carried over\) +60\.00 +70\.00$/m);
    // A category without rollover: as before.
    expect(text).toMatch(/^Power +70\.00 +77\.77 +-7\.77$/m);
  });
});
