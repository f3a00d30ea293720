import { type LocaleFormat } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { TargetFigures, TargetStatus } from '../../domain/category-target';

/**
 * A category line's savings target in words, for the report page and both parts of the report
 * email (packages/budgets/docs/periods-and-limits.md "Category targets"), in the report's own formats (`format`, the
 * reader's locale if any: platform locale-format.ts): amounts as every other report amount, the date as
 * the report's other dates. Without a locale (as below) `formatMinorUnits` and YYYY-MM-DD; with
 * de-DE "Target 1.200,00 € by 30.06.2027 · ...":
 *
 * - not funded, `by` not passed: "Target 1200.00 by 2027-06-30 · 200.00 a period · Behind"
 *   (`neededPerPeriod`, the pace from the report's period through `by`);
 * - not funded, `by` passed (`periodsLeft` 0): "Target 1200.00 by 2027-06-30 · 300.00 short ·
 *   Behind" (the shortfall, needed at once: not a pace per period);
 * - funded: "Target 1200.00 by 2027-06-30 · Funded" (nothing more is needed);
 * - an undated target (no `by`: a balance to reach, no pace): "Target 1200.00 · Funded",
 *   "Target 1200.00 · On track" (not reached, the limit adds to it each period) or
 *   "Target 1200.00 · Behind" (not reached, limit 0); de "Ziel 1.200,00 € · Erreicht".
 *
 * The words in the reader's language (`words`: platform locale-messages.ts; English, as above,
 * without a locale), e.g. de "Ziel 1.200,00 € bis 30.06.2027 · 200,00 € pro Zeitraum · Im Rückstand".
 *
 * Plain text: the page escapes it (and wraps the status in a span of class `target-<status>`).
 */
const TARGET_STATUS_KEYS: Record<TargetStatus, 'target.funded' | 'target.onTrack' | 'target.behind'> = { funded: 'target.funded', 'on-track': 'target.onTrack', behind: 'target.behind' };

export interface TargetLine {
  /** Everything before the status, ending with " · ". */
  lead: string;
  /** The status as a word. */
  status: string;
}

export function targetLine(target: TargetFigures, format: LocaleFormat, words: LocaleMessages = localeMessages(undefined)): TargetLine {
  const { money } = format;
  const { fill } = words;
  const status = fill(TARGET_STATUS_KEYS[target.status]);
  // An undated target: the balance and the status, no date and no pace.
  if (target.by === undefined) return { lead: `${fill('target.balance', { amount: money(target.amount) })} · `, status };
  const needed = money(target.neededPerPeriod);
  const pace =
    target.status === 'funded' ? '' : `${target.periodsLeft === 0 ? fill('target.short', { amount: needed }) : fill('target.perPeriod', { amount: needed })} · `;
  return {
    lead: `${fill('target.goal', { amount: money(target.amount), date: format.date(target.by) })} · ${pace}`,
    status,
  };
}

/** The whole line as plain text (the email's text part). */
export function targetText(target: TargetFigures, format: LocaleFormat, words?: LocaleMessages): string {
  const { lead, status } = targetLine(target, format, words);
  return lead + status;
}
