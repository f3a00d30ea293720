import { isolatedBidi, localeFormat, oneLine, type EmailMessage, type LocaleFormat } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { Report } from '../../model';
import { hiddenName } from './hidden-name';
import { expenseCount } from './report-count';
import { reportPage } from './report-page';
import { targetText } from './target-line';
import { clipTo, padEndTo, padStartTo, widthOf } from './text-width';

/**
 * The email that tells a budget's owner their period report is ready. The HTML part is the
 * report page WITHOUT its SVG charts (many mail clients strip inline SVG, so a mail must not
 * depend on them): its tables carry every number. The text part is a summary table in fixed
 * columns that reads well in any client; a category's savings target is an indented line under
 * its row (target-line.ts), and a hidden category's name is followed by the mark "(hidden)" (in
 * the reader's language; a long name is cut so the mark stays whole). Every amount and date of the subject and both parts is in the owner's
 * `locale` when they set one (platform locale-format.ts: "1.234,56 €", "30.06.2027"), else in the
 * plain formats, byte for byte the mail before locales existed. Its words are in the owner's
 * language (platform locale-messages.ts: English, German, French, Spanish; English without a
 * locale, verbatim the mail before). With a locale the amounts carry their currency sign, so the
 * text part has no "(amounts in EUR)" note and its summary column is headed "Amount" (in the
 * language) instead of the currency code.
 */
export function reportEmail(report: Report, to: string, messageId: string, locale?: string): EmailMessage {
  const format = localeFormat(locale, report.currency);
  const { money } = format;
  const words = localeMessages(locale);
  const { fill } = words;
  const days = { start: format.date(report.periodStart), end: format.date(report.periodEnd) };
  // No line breaks in a header (NEL too: oneLine), whenever the name was stored.
  const name = oneLine(report.budgetName);
  const summary = table(
    ['', format.localized ? fill('report.email.amount') : report.currency],
    [
      [fill('report.limit'), money(report.limit)],
      [fill('report.carriedOver'), money(report.carriedOver)],
      [fill('report.available'), money(report.available)],
      [fill('report.spent'), money(report.spent)],
      [fill('report.remaining'), money(report.remaining)],
      // A monthly report of a month with income (absent on older reports and months without).
      ...(report.income !== undefined && report.savingsRate !== undefined
        ? [
            [fill('report.income'), money(report.income)],
            [fill('report.savingsRate'), format.percent(report.savingsRate)],
          ]
        : []),
    ],
  );
  const merchants = report.topMerchants.length
    ? [
        '',
        fill('report.topMerchants'),
        '',
        table(
          [fill('report.merchant'), fill('report.expenses'), fill('report.spent')],
          // A merchant is free text, kept as sent: its line breaks (NEL too, which `\s` leaves) on its row.
          report.topMerchants.map((m) => [oneLine(m.merchant), expenseCount(m.count, locale), money(m.spent)]),
        ),
      ]
    : [];
  const lines = [
    format.localized
      ? fill('report.email.headingLocalized', { budget: name, ...days })
      : fill('report.email.heading', { budget: name, ...days, currency: report.currency }),
    '',
    summary,
    '',
    ...lineTables(report, format, words),
    ...merchants,
    ...(report.previousPeriod
      ? [
          '',
          fill('report.previous', {
            start: format.date(report.previousPeriod.periodStart),
            end: format.date(report.previousPeriod.periodEnd),
            spent: money(report.previousPeriod.spent),
          }),
        ]
      : []),
  ];
  return {
    id: messageId,
    to,
    subject: fill('report.email.subject', { budget: name, ...days }),
    text: `${lines.join('\n')}\n`,
    html: reportPage(report, { charts: false, locale }),
  };
}

/** The category table (with target lines), then the group table when the report has groups. */
function lineTables(report: Report, format: LocaleFormat, words: LocaleMessages): string[] {
  const { money } = format;
  const { fill } = words;
  // A rollover line's limit shows what it carried in; what is left is of its available (as the summary's line).
  const limitOf = (limit: number, carriedOver: number | undefined) =>
    carriedOver === undefined ? money(limit) : fill('report.limitCarried', { limit: money(limit), carried: money(carriedOver) });
  const amounts = (l: { limit: number | null; carriedOver?: number; available?: number; spent: number }) => [
    l.limit === null ? '-' : limitOf(l.limit, l.carriedOver),
    money(l.spent),
    l.limit === null ? '-' : money((l.available ?? l.limit) - l.spent),
  ];
  const amountHeaders = [fill('report.limit'), fill('report.spent'), fill('report.left')];
  const categories = table(
    [fill('report.category'), ...amountHeaders],
    [
      ...report.byCategory.flatMap((c): Row[] => [
        [nameCell(c, words), ...amounts(c)],
        // A savings target: a line of its own under the category's, indented.
        ...(c.target ? [{ note: targetText(c.target, format, words) }] : []),
      ]),
      [fill('report.uncategorized'), '-', money(report.uncategorizedSpent), '-'],
    ],
  );
  if (!report.groups.length) return [categories];
  return [categories, '', table([fill('report.group'), ...amountHeaders], report.groups.map((g) => [g.name.replace(/\s+/g, ' '), ...amounts(g)]))];
}

/** The name column's width at most, in cells (text-width.ts): a longer name is cut to 29 and "…". */
const NAME_WIDTH = 30;

/**
 * A category's name cell: its emoji first when it has one ("🛒 Groceries", as the page and the
 * HTML part show it), then the name (a hidden one with its mark, cut so the mark stays whole).
 */
function nameCell(c: { name: string; hidden?: boolean; emoji?: string }, words: LocaleMessages): string {
  const name = c.name.replace(/\s+/g, ' ');
  const prefix = c.emoji ? `${c.emoji} ` : '';
  const room = NAME_WIDTH - widthOf(prefix);
  return prefix + (c.hidden ? hiddenName(name, words, room) : clipTo(name, room));
}


/** A table row: its cells, or a note line under the row before it (not in any column). */
type Row = string[] | { note: string };

/**
 * Rows in fixed-width columns (widths in cells, text-width.ts): the first left-aligned (names),
 * the others right-aligned (amounts). A note is written as it is, indented two spaces, and sets no column's width.
 */
function table(header: string[], rows: Row[]): string {
  // A name's open bidi override or isolate (a member's merchant) closed in its cell, and a right-to-left name isolated
  // (platform isolatedBidi): it must not turn the row's amounts around, nor pull them into its run (the marks take no cell).
  const clip = (row: string[]) => row.map((cell, i) => (i === 0 ? isolatedBidi(clipTo(cell, NAME_WIDTH)) : cell));
  const cells = [header, ...rows.filter((row): row is string[] => Array.isArray(row))].map(clip);
  const widths = header.map((_, i) => Math.max(...cells.map((row) => widthOf(row[i]!))));
  const format = (row: string[]) =>
    clip(row)
      .map((cell, i) => (i === 0 ? padEndTo(cell, widths[i]!) : padStartTo(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [format(header), rule, ...rows.map((row) => (Array.isArray(row) ? format(row) : `  ${row.note}`))].join('\n');
}
