import { localeFormat, type EmailMessage } from '@budgeting/platform';
import type { Report } from '../../model';
import { reportPage } from './report-page';
import { targetText } from './target-line';

/**
 * The email that tells a budget's owner their period report is ready. The HTML part is the
 * report page WITHOUT its SVG charts (many mail clients strip inline SVG, so a mail must not
 * depend on them): its tables carry every number. The text part is a summary table in fixed
 * columns that reads well in any client; a category's savings target is an indented line under
 * its row (target-line.ts). Every amount and date of the subject and both parts is in the owner's
 * `locale` when they set one (platform locale-format.ts: "1.234,56 €", "30.06.2027"), else in the
 * plain formats, byte for byte the mail before locales existed.
 */
export function reportEmail(report: Report, to: string, messageId: string, locale?: string): EmailMessage {
  const format = localeFormat(locale, report.currency);
  const { money } = format;
  const period = `${format.date(report.periodStart)} to ${format.date(report.periodEnd)}`;
  // A name is free text: no line breaks in a header.
  const name = report.budgetName.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  const summary = table(
    ['', report.currency],
    [
      ['Limit', money(report.limit)],
      ['Carried over', money(report.carriedOver)],
      ['Available', money(report.available)],
      ['Spent', money(report.spent)],
      ['Remaining', money(report.remaining)],
    ],
  );
  const categories = table(
    ['Category', 'Limit', 'Spent', 'Left'],
    [
      ...report.byCategory.flatMap((c): Row[] => [
        [
          c.name.replace(/\s+/g, ' '),
          // A rollover category's limit shows what it carried in; what is left is of its available (as the summary's line).
          c.limit === null ? '-' : c.carriedOver === undefined ? money(c.limit) : `${money(c.limit)} (${money(c.carriedOver)} carried over)`,
          money(c.spent),
          c.limit === null ? '-' : money((c.available ?? c.limit) - c.spent),
        ],
        // A savings target: a line of its own under the category's, indented.
        ...(c.target ? [{ note: targetText(c.target, format) }] : []),
      ]),
      ['Uncategorized', '-', money(report.uncategorizedSpent), '-'],
    ],
  );
  const groups = report.groups.length
    ? [
        '',
        table(
          ['Group', 'Limit', 'Spent', 'Left'],
          report.groups.map((g) => [
            g.name.replace(/\s+/g, ' '),
            g.limit === null ? '-' : g.carriedOver === undefined ? money(g.limit) : `${money(g.limit)} (${money(g.carriedOver)} carried over)`,
            money(g.spent),
            g.limit === null ? '-' : money((g.available ?? g.limit) - g.spent),
          ]),
        ),
      ]
    : [];
  const merchants = report.topMerchants.length
    ? ['', 'Top merchants', '', table(['Merchant', 'Expenses', 'Spent'], report.topMerchants.map((m) => [m.merchant.replace(/\s+/g, ' '), String(m.count), money(m.spent)]))]
    : [];
  const lines = [
    `${name}: report of ${period} (amounts in ${report.currency})`,
    '',
    summary,
    '',
    categories,
    ...groups,
    ...merchants,
    ...(report.previousPeriod
      ? ['', `Previous period (${format.date(report.previousPeriod.periodStart)} to ${format.date(report.previousPeriod.periodEnd)}): ${money(report.previousPeriod.spent)} spent.`]
      : []),
  ];
  return {
    id: messageId,
    to,
    subject: `${name}: your report for ${period}`,
    text: `${lines.join('\n')}\n`,
    html: reportPage(report, { charts: false, locale }),
  };
}

/** A table row: its cells, or a note line under the row before it (not in any column). */
type Row = string[] | { note: string };

/**
 * Rows in fixed-width columns: the first left-aligned (names), the others right-aligned
 * (amounts). A note is written as it is, indented two spaces, and sets no column's width.
 */
function table(header: string[], rows: Row[]): string {
  const clip = (row: string[]) => row.map((cell, i) => (i === 0 && cell.length > 30 ? `${cell.slice(0, 29)}…` : cell));
  const cells = [header, ...rows.filter((row): row is string[] => Array.isArray(row))].map(clip);
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const format = (row: string[]) =>
    clip(row)
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [format(header), rule, ...rows.map((row) => (Array.isArray(row) ? format(row) : `  ${row.note}`))].join('\n');
}
