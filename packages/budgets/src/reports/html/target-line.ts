import type { LocaleFormat } from '@budgeting/platform';
import type { TargetFigures, TargetStatus } from '../../domain/category-target';

/**
 * A category line's savings target in words, for the report page and both parts of the report
 * email (budgets README "Category targets"), in the report's own formats (`format`, the
 * reader's locale if any: platform locale-format.ts): amounts as every other report amount, the date as
 * the report's other dates. Without a locale (as below) `formatMinorUnits` and YYYY-MM-DD; with
 * de-DE "Target 1.200,00 € by 30.06.2027 · ...":
 *
 * - not funded, `by` not passed: "Target 1200.00 by 2027-06-30 · 200.00 a period · Behind"
 *   (`neededPerPeriod`, the pace from the report's period through `by`);
 * - not funded, `by` passed (`periodsLeft` 0): "Target 1200.00 by 2027-06-30 · 300.00 short ·
 *   Behind" (the shortfall, needed at once: not a pace per period);
 * - funded: "Target 1200.00 by 2027-06-30 · Funded" (nothing more is needed).
 *
 * Plain text: the page escapes it (and wraps the status in a span of class `target-<status>`).
 */
export const TARGET_STATUS_WORDS: Record<TargetStatus, string> = { funded: 'Funded', 'on-track': 'On track', behind: 'Behind' };

export interface TargetLine {
  /** Everything before the status, ending with " · ". */
  lead: string;
  /** The status as a word. */
  status: string;
}

export function targetLine(target: TargetFigures, format: LocaleFormat): TargetLine {
  const { money } = format;
  const pace =
    target.status === 'funded' ? '' : target.periodsLeft === 0 ? `${money(target.neededPerPeriod)} short · ` : `${money(target.neededPerPeriod)} a period · `;
  return { lead: `Target ${money(target.amount)} by ${format.date(target.by)} · ${pace}`, status: TARGET_STATUS_WORDS[target.status] };
}

/** The whole line as plain text (the email's text part). */
export function targetText(target: TargetFigures, format: LocaleFormat): string {
  const { lead, status } = targetLine(target, format);
  return lead + status;
}
