import { describe, expect, it } from 'vitest';
import { prefersHtml } from '@budgeting/platform';
import { text } from './html/escape';
import { buildReport, periodOfReportId, reportGroupsOf, reportIdOf } from './domain/report-math';
import { testBudget } from '../domain/test-budget';
import { reportEmail } from './html/report-email';
import { reportListPage, reportPage } from './html/report-page';
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

const eur = (amount: string) => `${amount}\u00A0€`;
describe("the reader's locale in the report page and email", () => {
  // The reader's locale (platform locale-format.ts): every amount and date of both parts and the page,
  // the target line, rollover and available figures included. Written out by hand; \u00A0 is
  // the no-break space Intl puts before the euro sign.
  it('in the owner\'s locale (de-DE): the text part, its subject and the target lines, in German', () => {
    const previous: Report = { ...report, previousPeriod: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 123_456 } };
    const mail = reportEmail(previous, 'a@example.com', 'm1', 'de-DE');
    expect(mail.subject).toBe('Home: Ihr Bericht vom 01.10.2026 bis 31.10.2026');
    // The amounts carry the sign: no "(amounts in EUR)" note, and the summary's column is "Betrag", not "EUR".
    expect(mail.text.startsWith('Home: Bericht vom 01.10.2026 bis 31.10.2026\n\n')).toBe(true);
    expect(mail.text).not.toContain('EUR');
    expect(mail.text).toMatch(/^ +Betrag$/m);
    expect(mail.text).toMatch(new RegExp(`^Übertrag +${eur('960,00')}$`, 'm'));
    expect(mail.text).toMatch(new RegExp(`^Verfügbar +${eur('1\\.960,00')}$`, 'm'));
    expect(mail.text).toMatch(new RegExp(`^Verbleibend +${eur('1\\.822,23')}$`, 'm'));
    expect(mail.text).toMatch(/^Kategorie +Limit +Ausgegeben +Übrig$/m);
    expect(mail.text).toMatch(
      new RegExp(
        `^Car <insurance> +${eur('150,00')} \\(${eur('0,00')} übertragen\\) +${eur('0,00')} +${eur('150,00')}\n` +
          ` {2}Ziel ${eur('1\\.200,00')} bis 31\\.03\\.2027 · ${eur('200,00')} pro Zeitraum · Im Rückstand\n`,
        'm',
      ),
    );
    expect(mail.text).toContain(`  Ziel ${eur('600,00')} bis 31.12.2026 · ${eur('83,34')} pro Zeitraum · Im Plan\n`);
    expect(mail.text).toContain(`  Ziel ${eur('250,00')} bis 01.12.2026 · Erreicht\n`);
    expect(mail.text).toContain(`  Ziel ${eur('100,00')} bis 30.09.2026 · ${eur('30,00')} fehlen · Im Rückstand\n`);
    expect(mail.text).toMatch(new RegExp(`^Power +${eur('70,00')} +${eur('77,77')} +${eur('-7,77')}$`, 'm'));
    expect(mail.text).toMatch(new RegExp(`^Ohne Kategorie +- +${eur('0,00')} +-$`, 'm'));
    expect(mail.text).toContain(`Vorheriger Zeitraum (01.09.2026 bis 30.09.2026): ${eur('1.234,56')} ausgegeben.`);
    expect(mail.text).not.toMatch(/\d\.\d\d(?![\d.])|\d{4}-\d\d-\d\d/); // no plain amount (12.50) or ISO date left
    expect(mail.text).not.toMatch(/\b(Target|Spent|Left|carried over|Behind|Uncategorized|report of)\b/); // no English word left
  });

  it('groups and merchants in the text part, in German', () => {
    const grouped: Report = {
      ...report,
      byCategory: byCategory.map((l) => ({ ...l, group: l.categoryId === 'e' ? 'Haus' : null })),
      groups: [{ name: 'Haus', categoryIds: ['e'], limit: 7_000, spent: 7_777 }],
      topMerchants: [{ merchant: 'Stadtwerke', count: 2, spent: 7_777 }],
    };
    const text = reportEmail(grouped, 'a@example.com', 'm1', 'de-AT').text;
    // de-AT: German words, Austrian figures (the sign first).
    expect(text).toMatch(/^Gruppe +Limit +Ausgegeben +Übrig$/m);
    expect(text).toMatch(/^Haus +€\u00A070,00 +€\u00A077,77 +-€\u00A07,77$/m);
    expect(text).toContain('\nTop-Händler\n\n');
    expect(text).toMatch(/^Händler +Ausgaben +Ausgegeben$/m);
    expect(text).toMatch(/^Stadtwerke +2 +€\u00A077,77$/m);
  });

  it("writes a merchant's count of expenses as the locale writes numbers, as its amounts (a busy merchant over a long period)", () => {
    const busy: Report = { ...report, topMerchants: [{ merchant: 'Kiosk', count: 12_345, spent: 1_234_567 }] };
    // de-DE groups with ".", fr-FR with a narrow no-break space; without a locale the plain figure, as before locales.
    expect(reportEmail(busy, 'a@example.com', 'm1', 'de-DE').text).toMatch(new RegExp(`^Kiosk +12\\.345 +${eur('12\\.345,67')}$`, 'm'));
    expect(reportPage(busy, { locale: 'de-DE' })).toContain(`<tr><td>Kiosk</td><td class="n">12.345</td><td class="n"><span>${eur('12.345,67')}</span></td></tr>`);
    expect(reportPage(busy, { locale: 'fr-FR' })).toContain('<tr><td>Kiosk</td><td class="n">12\u202F345</td>');
    expect(reportEmail(busy, 'a@example.com', 'm1').text).toMatch(/^Kiosk +12345 +12345\.67$/m);
    expect(reportPage(busy)).toContain('<tr><td>Kiosk</td><td class="n">12345</td>');
  });

  it("puts a merchant's line breaks on its row as spaces, NEL (U+0085) too: free text, kept as sent, must not start a line of its own in the table", () => {
    const text = reportEmail({ ...report, topMerchants: [{ merchant: 'Corner\u0085Market\u2028Ltd', count: 2, spent: 7_777 }] }, 'a@example.com', 'm1').text;
    expect(text).toMatch(/^Corner Market Ltd +2 +77\.77$/m);
  });

  it("isolates a right-to-left name in its cell (FSI ... PDI), so the row's amounts are not pulled into it and the columns stay aligned", () => {
    // A Hebrew merchant followed by spaces and digits: the spaces and digits joined its right-to-left run (UAX #9 N1),
    // showing the count and amount on the name's left. Isolated, the row reads as the others; the marks take no cell.
    const text = reportEmail({ ...report, topMerchants: [{ merchant: 'שופרסל', count: 2, spent: 7_777 }, { merchant: 'Stadtwerke', count: 3, spent: 100 }] }, 'a@example.com', 'm1').text;
    expect(text).toMatch(/^\u2068שופרסל\u2069 +2 +77\.77$/m);
    const rows = text.split('\n').filter((l) => l.includes('שופרסל') || l.startsWith('Stadtwerke'));
    expect(rows.map((l) => l.replace(/[\u2068\u2069]/g, '').length)).toEqual([rows[1]!.length, rows[1]!.length]);
  });

  it("closes a bidi override a merchant opens at its cell's end, so the row's count and amount are not turned around", () => {
    const text = reportEmail({ ...report, topMerchants: [{ merchant: 'Stadtwerke\u202e', count: 2, spent: 7_777 }] }, 'a@example.com', 'm1').text;
    expect(text).toMatch(/^Stadtwerke\u202e\u202c +2 +77\.77$/m);
  });

});

describe("the reader's locale in the report page (German, English, another language)", () => {
  it('in a locale: the page (and the email\'s HTML part), figures, words, target rows, charts and the generated time', () => {
    const html = reportPage(report, { locale: 'de-DE' });
    expect(html.startsWith('<!doctype html><html lang="de-DE"><head>')).toBe(true);
    expect(html).toContain('<title>Home: 01.10.2026 bis 31.10.2026</title>');
    // The amounts carry the sign: the intro has no "amounts in EUR" (as the email's text part).
    expect(html).toContain('<p>Bericht vom 01.10.2026 bis 31.10.2026.</p>');
    expect(html).not.toContain('Beträge in');
    expect(html).toContain(`<tr><th>Verfügbar</th><td class="n"><span>${eur('1.960,00')}</span></td></tr>`);
    expect(html).toContain('<h2>Ausgaben nach Kategorie</h2>');
    expect(html).toContain('<tr><th>Kategorie</th><th class="n">Limit</th><th class="n">Ausgegeben</th><th class="n">Übrig</th></tr>');
    expect(html).toContain(
      `<tr class="has-target"><td>Car &lt;insurance&gt;</td><td class="n"><span>${eur('150,00')}</span> (<span>${eur('0,00')}</span> übertragen)</td>` +
        `<td class="n"><span>${eur('0,00')}</span></td><td class="n"><span>${eur('150,00')}</span></td></tr>` +
        `<tr class="target"><td colspan="4">Ziel ${eur('1.200,00')} bis 31.03.2027 · ${eur('200,00')} pro Zeitraum · <span class="target-behind">Im Rückstand</span></td></tr>`,
    );
    expect(html).toContain('<span class="target-on-track">Im Plan</span>');
    expect(html).toContain('<span class="target-funded">Erreicht</span>');
    expect(html).toContain(`<td class="n"><span class="neg">${eur('-7,77')}</span></td>`);
    expect(html).toContain(`<tr><td>Ohne Kategorie</td><td class="n">-</td>`);
    expect(html).toContain('<title>Ausgaben nach Kategorie</title>'); // the bar chart's title
    expect(html).toContain(`>${eur('77,77')} von ${eur('70,00')}</text>`); // a bar's label
    expect(html).toContain('<li><span style="color:#2e86c1">&#9632;</span> in der Kategorie ausgegeben</li>');
    expect(html).toContain('<h2>Kumulierte Ausgaben</h2>');
    expect(html).toContain('<title>Kumulierte Ausgaben im Vergleich zum Limit</title>');
    expect(html).toContain(`font-weight="bold">gesamt ${eur('137,77')}</text>`);
    expect(html).toContain(`das Limit des Budgets (${eur('1.000,00')})`); // the line chart's legend
    expect(html).toContain('>01.10.2026</text>'); // the line chart's first day
    expect(html).toContain('<p><small>Erstellt am 01.11.2026, 00:00 UTC.</small></p>');
    expect(html).not.toMatch(/>(Spent|Left|Category|Uncategorized|Available)</);
    expect(reportEmail(report, 'a@example.com', 'm1', 'de-DE').html).toBe(reportPage(report, { charts: false, locale: 'de-DE' }));
    // English locales: English words (as without a locale), the locale's figures, the locale as the page's lang.
    const british = reportPage(report, { locale: 'en-GB' });
    expect(british).toContain('Target €1,200.00 by 31 Mar 2027 · €200.00 a period · ');
    expect(british.startsWith('<!doctype html><html lang="en-GB"><head>')).toBe(true);
    // A language the catalog lacks: English words, so the page says it is English.
    expect(reportPage(report, { locale: 'ja-JP' }).startsWith('<!doctype html><html lang="en"><head>')).toBe(true);
  });

});

describe('the report email and page in French and Spanish (written out by hand)', () => {
  // French: U+202F (narrow no-break space) groups digits, U+00A0 before "€" and ":".
  const frEur = (amount: string) => `${amount.replace(' ', '\u202F')}\u00A0€`;
  it('in French (fr-FR): the email, both parts, and the page', () => {
    const previous: Report = { ...report, previousPeriod: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 123_456 } };
    const mail = reportEmail(previous, 'a@example.com', 'm1', 'fr-FR');
    expect(mail.subject).toBe('Home\u00A0: votre rapport du 1 oct. 2026 au 31 oct. 2026');
    expect(mail.text.startsWith('Home\u00A0: rapport du 1 oct. 2026 au 31 oct. 2026\n\n')).toBe(true);
    expect(mail.text).toMatch(/^ +Montant$/m);
    expect(mail.text).toMatch(new RegExp(`^Report +${frEur('960,00')}$`, 'm'));
    expect(mail.text).toMatch(/^Catégorie +Limite +Dépensé +Reste$/m);
    expect(mail.text).toContain(`  Objectif ${frEur('1 200,00')} d'ici le 31 mars 2027 · ${frEur('200,00')} par période · En retard\n`);
    expect(mail.text).toContain(`  Objectif ${frEur('600,00')} d'ici le 31 déc. 2026 · ${frEur('83,34')} par période · En bonne voie\n`);
    expect(mail.text).toContain(`  Objectif ${frEur('250,00')} d'ici le 1 déc. 2026 · Atteint\n`);
    expect(mail.text).toContain(`  Objectif ${frEur('100,00')} d'ici le 30 sept. 2026 · il manque ${frEur('30,00')} · En retard\n`);
    expect(mail.text).toMatch(new RegExp(`^Sans catégorie +- +${frEur('0,00')} +-$`, 'm'));
    expect(mail.text).toContain(`Période précédente (du 1 sept. 2026 au 30 sept. 2026)\u00A0: ${frEur('1 234,56')} dépensés.`);
    const html = reportPage(previous, { locale: 'fr-FR' });
    expect(html.startsWith('<!doctype html><html lang="fr-FR"><head>')).toBe(true);
    expect(html).toContain('<title>Home\u00A0: du 1 oct. 2026 au 31 oct. 2026</title>');
    expect(html).toContain('<p>Rapport du 1 oct. 2026 au 31 oct. 2026.</p>');
    expect(html).toContain(`<td class="n"><span>${frEur('150,00')}</span> (<span>${frEur('0,00')}</span> reportés)</td>`);
    // The apostrophe of "d'ici" is escaped as every text of the target row.
    expect(html).toContain(`<td colspan="4">Objectif ${frEur('250,00')} d&#39;ici le 1 déc. 2026 · <span class="target-funded">Atteint</span></td>`);
    expect(html).toContain('<h2>Dépenses par catégorie</h2>');
    expect(html).toContain(`>${frEur('77,77')} sur ${frEur('70,00')}</text>`);
    expect(html).toContain('<p><small>Généré le 1 nov. 2026, 00:00 UTC.</small></p>');
  });

  it('in Spanish (es-ES; four-digit amounts are not grouped): the email and the page', () => {
    const mail = reportEmail(report, 'a@example.com', 'm1', 'es-ES');
    expect(mail.subject).toBe('Home: tu informe del 1 oct 2026 al 31 oct 2026');
    expect(mail.text.startsWith('Home: informe del 1 oct 2026 al 31 oct 2026\n\n')).toBe(true);
    expect(mail.text).toMatch(/^ +Importe$/m);
    expect(mail.text).toMatch(new RegExp(`^Disponible +${eur('1960,00')}$`, 'm'));
    expect(mail.text).toMatch(/^Categoría +Límite +Gastado +Queda$/m);
    expect(mail.text).toContain(`  Meta de ${eur('1200,00')} para el 31 mar 2027 · ${eur('200,00')} por periodo · Atrasada\n`);
    expect(mail.text).toContain(`  Meta de ${eur('600,00')} para el 31 dic 2026 · ${eur('83,34')} por periodo · Al día\n`);
    expect(mail.text).toContain(`  Meta de ${eur('250,00')} para el 1 dic 2026 · Conseguida\n`);
    expect(mail.text).toContain(`  Meta de ${eur('100,00')} para el 30 sept 2026 · faltan ${eur('30,00')} · Atrasada\n`);
    expect(mail.text).toMatch(new RegExp(`^Holiday +${eur('100,00')} \\(${eur('400,00')} traspasados\\) +${eur('50,00')} +${eur('450,00')}$`, 'm'));
    const html = reportPage(report, { locale: 'es-ES' });
    expect(html.startsWith('<!doctype html><html lang="es-ES"><head>')).toBe(true);
    expect(html).toContain('<p>Informe del 1 oct 2026 al 31 oct 2026.</p>');
    expect(html).toContain('<tr><td>Sin categoría</td>');
    expect(html).toContain('<h2>Gasto acumulado</h2>');
    expect(html).toContain('<p><small>Generado el 1 nov 2026, 0:00 UTC.</small></p>');
  });

  it('in a locale whose language has no words (English words), the intro without the currency note too: its amounts carry the sign', () => {
    const html = reportPage(report, { locale: 'ja-JP' });
    expect(html).toContain('<p>Report of 2026/10/01 to 2026/10/31.</p>');
    expect(html).not.toContain('amounts in');
    expect(reportPage(report, { locale: 'en-GB' })).toContain('<p>Report of 1 Oct 2026 to 31 Oct 2026.</p>');
  });
});

describe('the list of reports in a locale, and everything without one', () => {
  it('the list of reports, in German and as before without a locale', () => {
    const german = reportListPage('b1', [report], 'c1', 'de-DE');
    expect(german).toContain('<html lang="de-DE">');
    expect(german).toContain('<title>Home: Berichte</title>');
    expect(german).toContain(`<a href="/v1/budgets/b1/reports/20261001-20261031">01.10.2026 bis 31.10.2026</a>: ${eur('137,77')} ausgegeben</li>`);
    expect(german).toContain('<p><a href="?cursor=c1">Ältere Berichte</a></p>');
    expect(reportListPage('b1', [], null, 'es-ES')).toContain('<h1>Presupuesto: informes</h1><p>Aún no hay informes.</p>');
    const plain = reportListPage('b1', [report], 'c1');
    expect(plain).toContain('<html lang="en">');
    expect(plain).toContain('<a href="/v1/budgets/b1/reports/20261001-20261031">2026-10-01 to 2026-10-31</a>: 137.77 EUR spent</li>');
    expect(plain).toContain('<p><a href="?cursor=c1">Older reports</a></p>');
    expect(reportListPage('b1', [], null)).toContain('<h1>Budget: reports</h1><p>No reports yet.</p>');
  });

  it('without a locale: exactly the plain formats', () => {
    expect(reportPage(report, { locale: undefined })).toBe(reportPage(report));
    expect(reportEmail(report, 'a@example.com', 'm1', undefined)).toEqual(reportEmail(report, 'a@example.com', 'm1'));
    expect(reportPage(report)).toContain('<p><small>Generated 2026-11-01T00:00:00.000Z.</small></p>');
    // The English words, the currency note and the code heading the summary column, as before.
    const text = reportEmail(report, 'a@example.com', 'm1').text;
    expect(text.startsWith('Home: report of 2026-10-01 to 2026-10-31 (amounts in EUR)\n\n')).toBe(true);
    expect(text).toMatch(/^ +EUR$/m);
    expect(reportEmail(report, 'a@example.com', 'm1').subject).toBe('Home: your report for 2026-10-01 to 2026-10-31');
    expect(reportPage(report).startsWith('<!doctype html><html lang="en"><head>')).toBe(true);
    expect(reportPage(report)).toContain('<p>Report of 2026-10-01 to 2026-10-31, amounts in EUR.</p>');
  });
});

describe('undated targets ("have a balance of") in the report page and email', () => {
  // Lines as the summary gives them for `target: {amount}` (no `by`): periodsLeft and
  // neededPerPeriod null; the words below are written out by hand.
  const undated: Report = {
    ...report,
    byCategory: [
      {
        categoryId: 'u1', name: 'Emergency', limit: 10_000, group: null, carriedOver: 40_000, available: 50_000, spent: 0,
        target: { amount: 120_000, periodsLeft: null, neededPerPeriod: null, status: 'on-track' },
      },
      {
        categoryId: 'u2', name: 'Cushion', limit: 0, group: null, carriedOver: 30_000, available: 30_000, spent: 0,
        target: { amount: 50_000, periodsLeft: null, neededPerPeriod: null, status: 'behind' },
      },
      {
        categoryId: 'u3', name: 'Reserve', limit: 5_000, group: null, carriedOver: 25_000, available: 30_000, spent: 0,
        target: { amount: 25_000, periodsLeft: null, neededPerPeriod: null, status: 'funded' },
      },
    ],
  };

  it('the fixture lines are the figures of domain/category-target.ts', () => {
    for (const line of undated.byCategory) {
      expect(targetFigures({ amount: line.target!.amount }, 'monthly', { start: '2026-10-01', end: '2026-10-31' }, line.limit!, line.available! - line.spent)).toEqual(line.target);
    }
  });

  it('the text part: "Target <amount> · <status>", no date and no pace', () => {
    const { text: mail } = reportEmail(undated, 'a@example.com', 'm1');
    expect(mail).toMatch(/^Emergency .*\n {2}Target 1200\.00 · On track\n/m);
    expect(mail).toMatch(/^Cushion .*\n {2}Target 500\.00 · Behind\n/m);
    expect(mail).toMatch(/^Reserve .*\n {2}Target 250\.00 · Funded\n/m);
    expect(mail).not.toContain(' by ');
    expect(mail).not.toContain('a period');
  });

  it('the page: the target row with the status in its class', () => {
    const html = reportPage(undated);
    expect(html).toContain('<tr class="target"><td colspan="4">Target 1200.00 · <span class="target-on-track">On track</span></td></tr>');
    expect(html).toContain('<tr class="target"><td colspan="4">Target 500.00 · <span class="target-behind">Behind</span></td></tr>');
    expect(html).toContain('<tr class="target"><td colspan="4">Target 250.00 · <span class="target-funded">Funded</span></td></tr>');
  });

  it('in de, fr and es: the balance words of the locale catalog', () => {
    expect(reportEmail(undated, 'a@example.com', 'm1', 'de-DE').text).toMatch(/^ {2}Ziel 1\.200,00\s€ · Im Plan$/m);
    expect(reportEmail(undated, 'a@example.com', 'm1', 'fr-FR').text).toMatch(/^ {2}Objectif 1\s200,00\s€ · En bonne voie$/m);
    expect(reportEmail(undated, 'a@example.com', 'm1', 'es-ES').text).toMatch(/^ {2}Meta de 250,00\s€ · Conseguida$/m);
    expect(reportPage(undated, { locale: 'de-DE' })).toContain('<td colspan="4">Ziel 500,00\u00A0€ · <span class="target-behind">Im Rückstand</span></td>');
  });
});

describe('hidden categories in the report page and email', () => {
  // A hidden category's line carries `hidden: true` (packages/budgets/docs/categories.md "Category notes and hidden
  // categories"); its row says so after its name. The words below are written out by hand.
  const withHidden: Report = {
    ...report,
    byCategory: byCategory.map((l) => (l.categoryId === 'e' ? { ...l, name: 'Power <&> gas', hidden: true as const } : l)),
  };

  it('the text part, in English and German: the name then the mark, the figures as any row', () => {
    const en = reportEmail(withHidden, 'a@example.com', 'm1').text;
    expect(en).toMatch(/^Power <&> gas \(hidden\) +70\.00 +77\.77 +-7\.77$/m);
    expect(en.match(/\(hidden\)/g)).toHaveLength(1); // only the hidden category's row
    const de = reportEmail(withHidden, 'a@example.com', 'm1', 'de-DE').text;
    expect(de).toMatch(new RegExp(`^Power <&> gas \\(ausgeblendet\\) +${eur('70,00')} +${eur('77,77')} +${eur('-7,77')}$`, 'm'));
    expect(de).not.toContain('hidden');
  });

  it('the text part in French and Spanish', () => {
    expect(reportEmail(withHidden, 'a@example.com', 'm1', 'fr-FR').text).toMatch(/^Power <&> gas \(masquée\) /m);
    expect(reportEmail(withHidden, 'a@example.com', 'm1', 'es-ES').text).toMatch(/^Power <&> gas \(oculta\) /m);
  });

  it('the text part: a long name is cut so that the mark stays whole, within the name column (30 characters)', () => {
    const long = 'Electricity and gas for the whole house';
    const text = reportEmail({ ...withHidden, byCategory: [{ ...withHidden.byCategory[4]!, name: long }] }, 'a@example.com', 'm1').text;
    // 30 = 20 characters of the name, "…" and " (hidden)" (9).
    expect(text).toMatch(/^Electricity and gas … \(hidden\) +70\.00/m);
    const de = reportEmail({ ...withHidden, byCategory: [{ ...withHidden.byCategory[4]!, name: long }] }, 'a@example.com', 'm1', 'de-DE').text;
    // 30 = 14 characters, "…" and " (ausgeblendet)" (15).
    expect(de).toMatch(/^Electricity an… \(ausgeblendet\) +70,00/m);
  });

  it("the page's bar chart: a long name is cut so that the mark stays whole, within the label's 26 characters", () => {
    const long = { ...withHidden, byCategory: [{ ...withHidden.byCategory[4]!, name: 'Electricity and gas for the whole house' }] };
    // 26 = 16 characters of the name, "…" and " (hidden)" (9); the table row keeps the whole name.
    const en = reportPage(long);
    expect(en).toContain('text-anchor="end">Electricity and … (hidden)</text>');
    expect(en).toContain('<td>Electricity and gas for the whole house (hidden)</td>');
    // 26 = 10 characters, "…" and " (ausgeblendet)" (15).
    expect(reportPage(long, { locale: 'de-DE' })).toContain('text-anchor="end">Electricit… (ausgeblendet)</text>');
    // A name that is not hidden is cut as before: 25 characters and "…".
    const shown = reportPage({ ...long, byCategory: [{ ...long.byCategory[0]!, hidden: undefined }] });
    expect(shown).toContain('text-anchor="end">Electricity and gas for t…</text>');
  });

  it('the page (and the email\'s HTML part), in English and German: the name and the mark, escaped', () => {
    const en = reportPage(withHidden);
    expect(en).toContain(
      '<tr><td>Power &lt;&amp;&gt; gas (hidden)</td><td class="n"><span>70.00</span></td><td class="n"><span>77.77</span></td>' +
        '<td class="n"><span class="neg">-7.77</span></td></tr>',
    );
    // Twice: its table row and its bar's label in the chart (the email's HTML part has no chart).
    expect(en.match(/\(hidden\)/g)).toHaveLength(2);
    expect(en).toContain('text-anchor="end">Power &lt;&amp;&gt; gas (hidden)</text>');
    expect(reportEmail(withHidden, 'a@example.com', 'm1').html).toContain('<tr><td>Power &lt;&amp;&gt; gas (hidden)</td>');
    expect(reportEmail(withHidden, 'a@example.com', 'm1').html.match(/\(hidden\)/g)).toHaveLength(1);
    const de = reportPage(withHidden, { locale: 'de-DE' });
    expect(de).toContain(`<tr><td>Power &lt;&amp;&gt; gas (ausgeblendet)</td><td class="n"><span>${eur('70,00')}</span></td>`);
    expect(reportEmail(withHidden, 'a@example.com', 'm1', 'de-DE').html).toContain('<td>Power &lt;&amp;&gt; gas (ausgeblendet)</td>');
    // The chart's label is at most 26 characters: "Power <&> gas (ausgeblendet)" is 28, so 10 of the name, "…" and the mark (15).
    expect(de).toContain('text-anchor="end">Power &lt;&amp;&gt; … (ausgeblendet)</text>');
    expect(reportPage(withHidden, { locale: 'fr-FR' })).toContain('<td>Power &lt;&amp;&gt; gas (masquée)</td>');
    expect(reportPage(withHidden, { locale: 'es-ES' })).toContain('<td>Power &lt;&amp;&gt; gas (oculta)</td>');
    // Without a hidden category: no mark; the page is the hidden one less exactly the mark.
    expect(reportPage(report)).not.toMatch(/hidden/i);
    expect(en.replaceAll(' (hidden)', '')).toBe(reportPage({ ...report, byCategory: withHidden.byCategory.map(({ hidden: _h, ...l }) => l) }));
  });
});

describe("a category's emoji and color in the report page and email", () => {
  // The 'e' line (Power, 77.77 of 70.00: over its limit) with an emoji and a color; the others without.
  const styled: Report = {
    ...report,
    byCategory: byCategory.map((l) => (l.categoryId === 'e' ? { ...l, emoji: '⚡', color: '#1A2B3C' } : l.categoryId === 'b' ? { ...l, color: '#00FF00' } : l)),
  };

  it('the table shows the emoji before the name, on the page and in both parts of the email', () => {
    const page = reportPage(styled);
    expect(page).toContain('<tr><td>⚡ Power</td><td class="n"><span>70.00</span></td><td class="n"><span>77.77</span></td><td class="n"><span class="neg">-7.77</span></td></tr>');
    expect(reportEmail(styled, 'a@example.com', 'm1').html).toContain('<tr><td>⚡ Power</td>');
    // The text part: the name column is 15 cells ("Car <insurance>", the longest name); "⚡ Power"
    // takes 8 of them (⚡ is two cells wide though one UTF-16 unit), so 7 spaces pad it where
    // "Power" had 10, and every column after it lines up as before.
    const plain = reportEmail(report, 'a@example.com', 'm1').text.split('\n');
    const text = reportEmail(styled, 'a@example.com', 'm1').text.split('\n');
    const at = plain.findIndex((l) => l.startsWith('Power '));
    expect(plain[at]!.slice(0, 15)).toBe(`Power${' '.repeat(10)}`);
    expect(text[at]).toBe(`⚡ Power${' '.repeat(7)}${plain[at]!.slice(15)}`);
    expect(text.filter((_, i) => i !== at)).toEqual(plain.filter((_, i) => i !== at));
    // With the hidden mark: emoji, name, mark.
    const hidden = reportPage({ ...styled, byCategory: styled.byCategory.map((l) => (l.categoryId === 'e' ? { ...l, hidden: true as const } : l)) });
    expect(hidden).toContain('<tr><td>⚡ Power (hidden)</td>');
    const hiddenText = reportEmail({ ...styled, byCategory: styled.byCategory.map((l) => (l.categoryId === 'e' ? { ...l, hidden: true as const } : l)) }, 'a@example.com', 'm1').text;
    expect(hiddenText).toMatch(/^⚡ Power \(hidden\) {2}/m);
  });

  it("the text part cuts a long name between characters, the emoji's cells counted, the mark kept whole", () => {
    // 31 characters: cut to 29 and "…" (30 cells at most); the emoji and its space take 3, so 26 and "…".
    const long = 'Abcdefghijklmnopqrstuvwxyz12345';
    const one = (l: Partial<Report['byCategory'][number]>) => reportEmail({ ...report, byCategory: [{ ...byCategory[4]!, name: long, ...l }] }, 'a@example.com', 'm1').text;
    expect(one({})).toMatch(/^Abcdefghijklmnopqrstuvwxyz123… {2}/m);
    expect(one({ emoji: '🛒' })).toMatch(/^🛒 Abcdefghijklmnopqrstuvwxyz… {2}/m);
    // Hidden: the mark " (hidden)" is 9 cells, so 17 of the name and "…" after the emoji's 3 (3 + 18 + 9 = 30).
    expect(one({ emoji: '🛒', hidden: true })).toMatch(/^🛒 Abcdefghijklmnopq… \(hidden\) {2}/m);
    // A name whose 29th and 30th code units are one emoji: kept whole or left out, never half.
    const text = one({ name: `${'a'.repeat(28)}🛒 and more` });
    expect(text).toMatch(new RegExp(`^${'a'.repeat(28)}… {2}`, 'm'));
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("the bar is drawn in the category's color (outlined red when over its limit); others keep the default palette", () => {
    const page = reportPage(styled);
    // Rows 28 high from y = 5: Holiday (b) is the second (y 33), Power (e) the fifth (y 117).
    expect(page).toMatch(/<rect x="180" y="33" width="[\d.]+" height="20" fill="#00FF00"\/>/);
    expect(page).toMatch(/<rect x="180" y="117" width="[\d.]+" height="20" fill="#1A2B3C" stroke="#c0392b" stroke-width="2"\/>/);
    expect(page).toMatch(/<rect x="180" y="5" width="0" height="20" fill="#2e86c1"\/>/);
    // Without emoji and colors: the page as before (the only differences are these: the table's
    // name and the chart's label).
    expect(page.replace(' fill="#00FF00"', ' fill="#2e86c1"').replace('fill="#1A2B3C" stroke="#c0392b" stroke-width="2"', 'fill="#c0392b"').replaceAll('⚡ Power', 'Power')).toBe(reportPage(report));
  });

  it("the chart's label shows the emoji before the name; a long name gives up room for it, the emoji stays whole", () => {
    const page = reportPage(styled);
    expect(page).toContain('<text x="172" y="132" text-anchor="end">⚡ Power</text>');
    // 30 characters: without an emoji cut to 25 and "…"; with one to 22 and "…" (an emoji of two UTF-16 units kept whole).
    const long = 'Abcdefghijklmnopqrstuvwxyz1234';
    const lines = (emoji?: string) => ({ ...report, byCategory: [{ ...byCategory[4]!, name: long, ...(emoji ? { emoji } : {}) }] });
    expect(reportPage(lines())).toContain('text-anchor="end">Abcdefghijklmnopqrstuvwxy…</text>');
    expect(reportPage(lines('🛒'))).toContain('text-anchor="end">🛒 Abcdefghijklmnopqrstuv…</text>');
  });

  it('a color goes through the escaping all the same (a line read from an item written otherwise)', () => {
    const odd = reportPage({ ...report, byCategory: [{ ...byCategory[4]!, color: '"><script>' }] });
    expect(odd).toContain('fill="&quot;&gt;&lt;script&gt;"');
    expect(odd).not.toContain('<script>');
  });
});

describe("a monthly report's income and savings rate in the page and email", () => {
  // 13,777 spent of 20,000 income: 6,223 kept, 31.115 % -> 3112 bp (the cash flow's figure, given here).
  const withIncome: Report = { ...report, income: 20_000, savingsRate: 3_112 };

  it('without a locale: two rows under the summary, plain formats', () => {
    const mail = reportEmail(withIncome, 'a@example.com', 'm1');
    expect(mail.text).toMatch(/^Remaining +1822\.23\nIncome +200\.00\nSavings rate +31\.12%\n/m);
    const html = reportPage(withIncome);
    expect(html).toContain('<tr><th>Income</th><td class="n"><span>200.00</span></td></tr><tr><th>Savings rate</th><td class="n"><span>31.12%</span></td></tr></table>');
  });

  it('in de, fr and es: the words of the locale catalog and the locale\'s percentage', () => {
    expect(reportEmail(withIncome, 'a@example.com', 'm1', 'de-DE').text).toMatch(new RegExp(`^Einnahmen +${eur('200,00')}\nSparquote +31,12\u00A0%$`, 'm'));
    expect(reportEmail(withIncome, 'a@example.com', 'm1', 'fr-FR').text).toMatch(new RegExp(`^Revenus +${eur('200,00')}\nTaux d’épargne +31,12\u00A0%$`, 'm'));
    expect(reportEmail(withIncome, 'a@example.com', 'm1', 'es-ES').text).toMatch(new RegExp(`^Ingresos +${eur('200,00')}\nTasa de ahorro +31,12\u00A0%$`, 'm'));
    // A negative rate (more spent than came in) is marked as the negative amounts are.
    const html = reportPage({ ...withIncome, savingsRate: -1_333 }, { locale: 'de-DE' });
    expect(html).toContain(`<tr><th>Einnahmen</th><td class="n"><span>${eur('200,00')}</span></td></tr><tr><th>Sparquote</th><td class="n"><span class="neg">-13,33\u00A0%</span></td></tr>`);
  });

  it('a report without income (a month without, another period kind, one stored before) has neither row: byte for byte as before', () => {
    for (const locale of [undefined, 'de-DE']) {
      expect(reportEmail(report, 'a@example.com', 'm1', locale).text).not.toMatch(/Income|Savings|Einnahmen|Sparquote/);
      expect(reportPage(report, { locale })).not.toMatch(/Income|Savings|Einnahmen|Sparquote/);
    }
  });
});

describe('buildReport: income only for a month that had some', () => {
  const inputs = (cashFlow: Parameters<typeof buildReport>[0]['cashFlow']) =>
    buildReport({
      budget: testBudget(),
      period: { start: '2026-02-01', end: '2026-02-28' },
      summary: { limit: 10_000, carriedOver: 0, available: 10_000, spent: 4_000, remaining: 6_000, categories: [], groups: [], uncategorizedSpent: 0 } as never,
      days: [],
      merchants: [],
      previous: null,
      ...(cashFlow === undefined ? {} : { cashFlow }),
      generatedAt: '2026-03-01T00:00:00.000Z',
    });

  it('carries the month\'s income and rate; no field without income, without a cash flow, or when it was not exact', () => {
    const made = inputs({ month: '2026-02', income: 5_000, spent: 4_000, net: 1_000, savingsRate: 2_000 });
    expect([made.income, made.savingsRate]).toEqual([5_000, 2_000]);
    for (const none of [{ month: '2026-02', income: 0, spent: 4_000, net: -4_000, savingsRate: null }, null, undefined]) {
      const report = inputs(none);
      expect(report).not.toHaveProperty('income');
      expect(report).not.toHaveProperty('savingsRate');
    }
  });
});
