import { formatMinorUnits, type EmailMessage } from '@budgeting/platform';
import type { Report } from '../../model';
import { reportPage } from './report-page';

/**
 * The email that tells a budget's owner their period report is ready: the report page itself
 * as the HTML part (same escaping, inline SVG charts) and the key numbers as plain text.
 */
export function reportEmail(report: Report, to: string, messageId: string): EmailMessage {
  const money = (amount: number) => `${formatMinorUnits(amount, report.currency)} ${report.currency}`;
  // A name is free text: no line breaks in a header.
  const name = report.budgetName.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  const lines = [
    `${name}: report of ${report.periodStart} to ${report.periodEnd}`,
    '',
    `Limit:        ${money(report.limit)}`,
    `Carried over: ${money(report.carriedOver)}`,
    `Spent:        ${money(report.spent)}`,
    `Remaining:    ${money(report.remaining)}`,
    '',
    ...report.byCategory.map((c) => `${c.name}: ${money(c.spent)}${c.limit === null ? '' : ` of ${money(c.limit)}`}`),
    `Uncategorized: ${money(report.uncategorizedSpent)}`,
    ...(report.previousPeriod ? ['', `Previous period: ${money(report.previousPeriod.spent)} spent.`] : []),
  ];
  return {
    id: messageId,
    to,
    subject: `${name}: your report for ${report.periodStart} to ${report.periodEnd}`,
    text: `${lines.join('\n')}\n`,
    html: reportPage(report),
  };
}
