import { describe, expect, it } from 'vitest';
import { prefersHtml } from './html/negotiate';
import { text } from './html/escape';
import { periodOfReportId, reportGroupsOf, reportIdOf } from './domain/report-math';
import { reportEmail } from './html/report-email';
import { reportPage } from './html/report-page';
import { targetFigures } from '../domain/category-target';
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

// Figures as the summary line carries them (domain/category-target.ts); the words below are written out by hand.
const byCategory: Report['byCategory'] = [
  {
    categoryId: 'a', name: 'Car <insurance>', limit: 15_000, group: null, carriedOver: 0, available: 15_000, spent: 0,
    target: { amount: 120_000, by: '2027-03-31', periodsLeft: 6, neededPerPeriod: 20_000, status: 'behind' },
  },
  {
    categoryId: 'b', name: 'Holiday', limit: 10_000, group: null, carriedOver: 40_000, available: 50_000, spent: 5_000,
    target: { amount: 60_000, by: '2026-12-31', periodsLeft: 3, neededPerPeriod: 8_334, status: 'on-track' },
  },
  {
    categoryId: 'c', name: 'Gifts', limit: 5_000, group: null, carriedOver: 20_000, available: 25_000, spent: 0,
    target: { amount: 25_000, by: '2026-12-01', periodsLeft: 3, neededPerPeriod: 0, status: 'funded' },
  },
  {
    categoryId: 'd', name: 'Boiler', limit: 2_000, group: null, carriedOver: 6_000, available: 8_000, spent: 1_000,
    target: { amount: 10_000, by: '2026-09-30', periodsLeft: 0, neededPerPeriod: 3_000, status: 'behind' },
  },
  { categoryId: 'e', name: 'Power', limit: 7_000, group: null, spent: 7_777 },
];
const report: Report = {
  id: '20261001-20261031', budgetId: 'b1', budgetName: 'Home', ownerId: 'u1', periodStart: '2026-10-01', periodEnd: '2026-10-31',
  currency: 'EUR', limit: 100_000, carriedOver: 96_000, available: 196_000, spent: 13_777, remaining: 182_223,
  byCategory, groups: [], uncategorizedSpent: 0, byDay: [{ date: '2026-10-01', spent: 13_777 }], topMerchants: [], previousPeriod: null,
  generatedAt: '2026-11-01T00:00:00.000Z',
};

describe('category targets in the report page and email', () => {
  it('the fixture lines are real October lines (the figures of domain/category-target.ts)', () => {
    for (const line of byCategory.filter((l) => l.target)) {
      const { amount, by } = line.target!;
      expect(targetFigures({ amount, by }, 'monthly', { start: '2026-10-01', end: '2026-10-31' }, line.limit!, line.available! - line.spent)).toEqual(line.target);
    }
  });
  const withoutTargets: Report = { ...report, byCategory: byCategory.map(({ target: _t, ...line }) => line) };

  it('the text part: a line under each category with a target, none under the others', () => {
    const text = reportEmail(report, 'a@example.com', 'm1').text;
    expect(text).toMatch(/^Car <insurance> +150\.00 \(0\.00 carried over\) +0\.00 +150\.00\n {2}Target 1200\.00 by 2027-03-31 · 200\.00 a period · Behind\n/m);
    expect(text).toMatch(/^Holiday .*\n {2}Target 600\.00 by 2026-12-31 · 83\.34 a period · On track\n/m);
    // Funded: nothing more needed, so no pace; past `by` unfunded: the shortfall, not a pace.
    expect(text).toMatch(/^Gifts .*\n {2}Target 250\.00 by 2026-12-01 · Funded\n/m);
    expect(text).toMatch(/^Boiler .*\n {2}Target 100\.00 by 2026-09-30 · 30\.00 short · Behind\n/m);
    expect(text).toMatch(/^Power +70\.00 +77\.77 +-7\.77\nUncategorized/m);
    // The target lines set no column's width: the table is as wide as without them.
    const rows = (t: string) => t.split('\n').filter((l) => !l.startsWith('  Target '));
    expect(rows(text)).toEqual(reportEmail(withoutTargets, 'a@example.com', 'm1').text.split('\n'));
  });

  it('the page (and the email\'s HTML part): a target row with the status word in a coloured class, names escaped', () => {
    const html = reportPage(report);
    expect(html).toContain(
      '<tr class="has-target"><td>Car &lt;insurance&gt;</td><td class="n"><span>150.00</span> (<span>0.00</span> carried over)</td>' +
        '<td class="n"><span>0.00</span></td><td class="n"><span>150.00</span></td></tr>' +
        '<tr class="target"><td colspan="4">Target 1200.00 by 2027-03-31 · 200.00 a period · <span class="target-behind">Behind</span></td></tr>',
    );
    expect(html).toContain('<td colspan="4">Target 600.00 by 2026-12-31 · 83.34 a period · <span class="target-on-track">On track</span></td>');
    expect(html).toContain('<td colspan="4">Target 250.00 by 2026-12-01 · <span class="target-funded">Funded</span></td>');
    expect(html).toContain('<td colspan="4">Target 100.00 by 2026-09-30 · 30.00 short · <span class="target-behind">Behind</span></td>');
    expect(html).toMatch(/<style>[^<]*\.target-behind\{color:#c0392b/);
    expect(reportEmail(report, 'a@example.com', 'm1').html).toContain('<span class="target-on-track">On track</span>');
    // Without targets: no target row, class or style; the page is the target page less exactly those.
    const plain = reportPage(withoutTargets);
    expect(plain).not.toMatch(/target/i);
    const stripped = html
      .replace(/<tr class="target">.*?<\/tr>/g, '')
      .replaceAll('<tr class="has-target">', '<tr>')
      .replace(/tr\.has-target[^<]*?font-weight:bold\}/, '');
    expect(stripped).toBe(plain);
  });
});

describe("the reader's locale in the report page and email", () => {
  // The reader's locale (platform locale-format.ts): every amount and date of both parts and the page,
  // the target line, rollover and available figures included. Written out by hand; \u00A0 is
  // the no-break space Intl puts before the euro sign.
  const eur = (amount: string) => `${amount}\u00A0€`;
  it('in the owner\'s locale (de-DE): the text part, its subject and the target lines', () => {
    const previous: Report = { ...report, previousPeriod: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 123_456 } };
    const mail = reportEmail(previous, 'a@example.com', 'm1', 'de-DE');
    expect(mail.subject).toBe('Home: your report for 01.10.2026 to 31.10.2026');
    expect(mail.text).toContain('Home: report of 01.10.2026 to 31.10.2026 (amounts in EUR)\n');
    expect(mail.text).toMatch(new RegExp(`^Carried over +${eur('960,00')}$`, 'm'));
    expect(mail.text).toMatch(new RegExp(`^Available +${eur('1\\.960,00')}$`, 'm'));
    expect(mail.text).toMatch(
      new RegExp(
        `^Car <insurance> +${eur('150,00')} \\(${eur('0,00')} carried over\\) +${eur('0,00')} +${eur('150,00')}\n` +
          ` {2}Target ${eur('1\\.200,00')} by 31\\.03\\.2027 · ${eur('200,00')} a period · Behind\n`,
        'm',
      ),
    );
    expect(mail.text).toContain(`  Target ${eur('100,00')} by 30.09.2026 · ${eur('30,00')} short · Behind\n`);
    expect(mail.text).toMatch(new RegExp(`^Power +${eur('70,00')} +${eur('77,77')} +${eur('-7,77')}$`, 'm'));
    expect(mail.text).toContain(`Previous period (01.09.2026 to 30.09.2026): ${eur('1.234,56')} spent.`);
    expect(mail.text).not.toMatch(/\d\.\d\d(?![\d.])|\d{4}-\d\d-\d\d/); // no plain amount (12.50) or ISO date left
  });

  it('in a locale: the page (and the email\'s HTML part), figures, target rows, charts and the generated time', () => {
    const html = reportPage(report, { locale: 'de-DE' });
    expect(html).toContain('<title>Home: 01.10.2026 to 31.10.2026</title>');
    expect(html).toContain('<p>Report of 01.10.2026 to 31.10.2026, amounts in EUR.</p>');
    expect(html).toContain(`<tr><th>Available</th><td class="n"><span>${eur('1.960,00')}</span></td></tr>`);
    expect(html).toContain(
      `<tr class="has-target"><td>Car &lt;insurance&gt;</td><td class="n"><span>${eur('150,00')}</span> (<span>${eur('0,00')}</span> carried over)</td>` +
        `<td class="n"><span>${eur('0,00')}</span></td><td class="n"><span>${eur('150,00')}</span></td></tr>` +
        `<tr class="target"><td colspan="4">Target ${eur('1.200,00')} by 31.03.2027 · ${eur('200,00')} a period · <span class="target-behind">Behind</span></td></tr>`,
    );
    expect(html).toContain(`<td class="n"><span class="neg">${eur('-7,77')}</span></td>`);
    expect(html).toContain(`the budget's limit (${eur('1.000,00')})`); // the line chart's legend
    expect(html).toContain(`>${eur('77,77')} of ${eur('70,00')}</text>`); // a bar's label
    expect(html).toContain('>01.10.2026</text>'); // the line chart's first day
    expect(html).toContain('<p><small>Generated 01.11.2026, 00:00 UTC.</small></p>');
    expect(reportEmail(report, 'a@example.com', 'm1', 'de-DE').html).toBe(reportPage(report, { charts: false, locale: 'de-DE' }));
    expect(reportPage(report, { locale: 'en-GB' })).toContain('Target €1,200.00 by 31 Mar 2027 · €200.00 a period · ');
  });

  it('without a locale: exactly the plain formats', () => {
    expect(reportPage(report, { locale: undefined })).toBe(reportPage(report));
    expect(reportEmail(report, 'a@example.com', 'm1', undefined)).toEqual(reportEmail(report, 'a@example.com', 'm1'));
    expect(reportPage(report)).toContain('<p><small>Generated 2026-11-01T00:00:00.000Z.</small></p>');
  });
});
