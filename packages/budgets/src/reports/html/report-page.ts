import { localeFormat, type LocaleFormat } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { TargetFigures } from '../../domain/category-target';
import type { Report } from '../../model';
import { categoryBars, cumulativeLine } from './charts';
import { expenseCount } from './report-count';
import { text } from './escape';
import { targetLine } from './target-line';

/**
 * A report as a readable, self-contained HTML page (GET with `Accept: text/html`, and the
 * report email): its numbers, the two charts, categories, category groups, merchants and the
 * previous period. A hidden category's row says so after its name ("Fun (hidden)", in the
 * reader's language), and so does its bar's label in the chart; a page without one is byte for
 * byte as before.
 * Inline CSS only; no script, no external asset.
 */
const STYLE =
  'body{font-family:sans-serif;max-width:720px;margin:1em auto;padding:0 .75em;color:#222}' +
  'table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%;max-width:640px}' +
  'td,th{padding:.25em .5em;border-bottom:1px solid #ddd;text-align:left;overflow-wrap:anywhere}' +
  'td.n,th.n{text-align:right}td.n>span,th.n{white-space:nowrap}.neg{color:#c0392b}' +
  '.legend{list-style:none;padding:0;margin:.25em 0 1.5em;font-size:.9em;color:#444}h1{overflow-wrap:anywhere}';
/**
 * Only on a page with a category target (so a page without one is byte for byte as before): the
 * target row sits under its category's row, smaller, and its status word is coloured.
 */
const TARGET_STYLE =
  'tr.has-target td{border-bottom:0}tr.target td{padding-top:0;font-size:.85em;color:#555}' +
  '.target-funded{color:#1e8449}.target-on-track{color:#2e86c1}.target-behind{color:#c0392b;font-weight:bold}';

/**
 * `charts: false` leaves the SVG charts out (the email: many mail clients strip inline SVG);
 * the tables carry every number either way. `locale`: the reader's (BCP 47, canonical), which
 * every amount and date is formatted in (platform locale-format.ts); none: the plain formats
 * (1234.56, 2027-06-30), byte for byte the page before locales existed. The words are in the
 * reader's language (platform locale-messages.ts: en, de, fr, es; English without a locale or in
 * another language), and the page's `lang` is the locale when its language is served, else en.
 * With a locale the amounts carry their currency sign, so the intro says no "amounts in EUR"
 * (as the email's text part: report-email.ts).
 */
export function reportPage(report: Report, options: { charts?: boolean; locale?: string | undefined } = {}): string {
  const charts = options.charts ?? true;
  const format = localeFormat(options.locale, report.currency);
  const words = localeMessages(options.locale);
  const { fill } = words;
  const money = (amount: number) => `<span${amount < 0 ? ' class="neg"' : ''}>${text(format.money(amount))}</span>`;
  // A rollover line's limit with what it carried in: the amounts are markup (spans), the words as they are (no markup character).
  const limitOf = (limit: number, carriedOver: number | undefined) =>
    carriedOver === undefined ? money(limit) : fill('report.limitCarried', { limit: money(limit), carried: money(carriedOver) });
  const days = { start: format.date(report.periodStart), end: format.date(report.periodEnd) };
  const title = fill('report.title', { budget: report.budgetName, ...days });
  // With a locale the amounts carry their currency sign: no "amounts in EUR" (as the email's text part).
  const lead = format.localized
    ? fill('report.leadLocalized', { start: text(days.start), end: text(days.end) })
    : fill('report.lead', { start: text(days.start), end: text(days.end), currency: text(report.currency) });
  const numbers: [string, number][] = [
    [fill('report.limit'), report.limit],
    [fill('report.carriedOver'), report.carriedOver],
    [fill('report.available'), report.available],
    [fill('report.spent'), report.spent],
    [fill('report.remaining'), report.remaining],
  ];
  // A rollover category's limit shows what it carried in, and what is left is of its available (as the summary's line).
  // A category with a savings target gets a row of its own under its row: "Target X by D · N a period · Status".
  // A hidden category's name is followed by the mark ("Fun (hidden)"); its figures are as any other's.
  // A category's emoji (a line that has one) comes before its name, escaped as the name: "🛒 Groceries".
  const categories = report.byCategory
    .map(
      (c) =>
        `<tr${c.target ? ' class="has-target"' : ''}><td>${c.emoji ? `${text(c.emoji)} ` : ''}${c.hidden ? text(fill('report.hidden', { name: c.name })) : text(c.name)}</td><td class="n">${c.limit === null ? '-' : limitOf(c.limit, c.carriedOver)}` +
        `</td><td class="n">${money(c.spent)}</td>` +
        `<td class="n">${c.limit === null ? '-' : money((c.available ?? c.limit) - c.spent)}</td></tr>` +
        (c.target ? targetRow(c.target, format, words) : ''),
    )
    .join('');
  const style = STYLE + (report.byCategory.some((c) => c.target) ? TARGET_STYLE : '');
  // Group lines as the category lines are shown (limit, spent, left); no section when the
  // report has no groups (an ungrouped budget, or a report stored before groups existed).
  const groups = report.groups
    .map(
      (g) =>
        `<tr><td>${text(g.name)}</td><td class="n">${g.limit === null ? '-' : limitOf(g.limit, g.carriedOver)}` +
        `</td><td class="n">${money(g.spent)}</td>` +
        `<td class="n">${g.limit === null ? '-' : money((g.available ?? g.limit) - g.spent)}</td></tr>`,
    )
    .join('');
  const merchants = report.topMerchants
    .map((m) => `<tr><td>${text(m.merchant)}</td><td class="n">${text(expenseCount(m.count, options.locale))}</td><td class="n">${money(m.spent)}</td></tr>`)
    .join('');
  const previous = report.previousPeriod
    ? `<p>${fill('report.previous', {
        start: text(format.date(report.previousPeriod.periodStart)),
        end: text(format.date(report.previousPeriod.periodEnd)),
        spent: money(report.previousPeriod.spent),
      })}</p>`
    : '';
  const amountHeads = `<th class="n">${fill('report.limit')}</th><th class="n">${fill('report.spent')}</th><th class="n">${fill('report.left')}</th>`;
  return (
    `<!doctype html><html lang="${text(words.lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${text(title)}</title><style>${style}</style></head><body>` +
    `<h1>${text(report.budgetName)}</h1>` +
    `<p>${lead}</p>` +
    `<table>${numbers.map(([label, amount]) => `<tr><th>${label}</th><td class="n">${money(amount)}</td></tr>`).join('')}${incomeRows(report, format, words)}</table>` +
    `<h2>${fill('report.byCategory')}</h2>${charts ? categoryBars(report, format, words) : ''}` +
    `<table><tr><th>${fill('report.category')}</th>${amountHeads}</tr>${categories}` +
    `<tr><td>${fill('report.uncategorized')}</td><td class="n">-</td><td class="n">${money(report.uncategorizedSpent)}</td><td class="n">-</td></tr></table>` +
    (groups ? `<h2>${fill('report.byGroup')}</h2><table><tr><th>${fill('report.group')}</th>${amountHeads}</tr>${groups}</table>` : '') +
    (charts ? `<h2>${fill('report.cumulative')}</h2>${cumulativeLine(report, format, words)}` : '') +
    (merchants
      ? `<h2>${fill('report.topMerchants')}</h2><table><tr><th>${fill('report.merchant')}</th><th class="n">${fill('report.expenses')}</th>` +
        `<th class="n">${fill('report.spent')}</th></tr>${merchants}</table>`
      : '') +
    previous +
    `<p><small>${fill('report.generated', { at: text(format.instant(report.generatedAt)) })}</small></p>` +
    '</body></html>'
  );
}

/** A monthly report of a month with income: its income, then the share of it kept; nothing on older reports and months without. */
function incomeRows(report: Report, format: LocaleFormat, words: LocaleMessages): string {
  if (report.income === undefined || report.savingsRate === undefined) return '';
  const marked = (value: number, shown: string) => `<span${value < 0 ? ' class="neg"' : ''}>${text(shown)}</span>`;
  return (
    `<tr><th>${words.fill('report.income')}</th><td class="n">${marked(report.income, format.money(report.income))}</td></tr>` +
    `<tr><th>${words.fill('report.savingsRate')}</th><td class="n">${marked(report.savingsRate, format.percent(report.savingsRate))}</td></tr>`
  );
}

/** A category's target row, under its row, across the table's four columns. */
function targetRow(target: TargetFigures, format: LocaleFormat, words: LocaleMessages): string {
  const { lead, status } = targetLine(target, format, words);
  return `<tr class="target"><td colspan="4">${text(lead)}<span class="target-${text(target.status)}">${text(status)}</span></td></tr>`;
}

/**
 * A budget's reports as a page of links (the list, with `Accept: text/html`); `locale` as the
 * report page's (without one: "1234.56 EUR spent"; with one the amount carries its sign).
 * `limit`: the page size asked, which the link to older reports keeps (a browser following it
 * would otherwise get pages of the default size after the first).
 */
export function reportListPage(budgetId: string, reports: Report[], nextCursor: string | null, locale?: string, limit?: number): string {
  const { fill, lang } = localeMessages(locale);
  const rows = reports
    .map((r) => {
      const format = localeFormat(locale, r.currency);
      const spent = format.localized ? format.money(r.spent) : `${format.money(r.spent)} ${r.currency}`;
      return (
        `<li><a href="/v1/budgets/${encodeURIComponent(budgetId)}/reports/${encodeURIComponent(r.id)}">` +
        `${fill('period', { start: text(format.date(r.periodStart)), end: text(format.date(r.periodEnd)) })}</a>: ${fill('reports.spent', { spent: text(spent) })}</li>`
      );
    })
    .join('');
  const size = limit === undefined ? '' : `limit=${encodeURIComponent(limit)}&amp;`;
  const next = nextCursor ? `<p><a href="?${size}cursor=${encodeURIComponent(nextCursor)}">${fill('reports.older')}</a></p>` : '';
  const title = fill('reports.title', { budget: text(reports[0]?.budgetName ?? fill('reports.budget')) });
  return (
    `<!doctype html><html lang="${text(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title}</title><style>${STYLE}</style></head><body>` +
    `<h1>${title}</h1>${rows ? `<ul>${rows}</ul>` : `<p>${fill('reports.none')}</p>`}${next}</body></html>`
  );
}
