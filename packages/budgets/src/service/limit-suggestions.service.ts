import { addDays, dateInTimeZone, type Clock } from '@budgeting/platform';
import { limitSuggestions, type LimitSuggestions, type SuggestionBasis } from '../domain/limit-suggestions';
import { periodContaining } from '../domain/periods';
import { limitReaching } from '../domain/category-target';
import { periodsEndingWith } from '../domain/trends-math';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

export interface LimitSuggestionsQuery {
  basis: SuggestionBasis;
  periods: number;
  date?: string;
  roundTo: number;
}

export interface LimitSuggestionsAnswer {
  /** The version of the budget read (its ETag). */
  version: number;
  suggestions: LimitSuggestions & { basis: SuggestionBasis; periods: number; from: string; to: string };
}

/**
 * Quick budget: suggested category limits (domain/limit-suggestions.ts) from the summaries of
 * the `periods` complete periods before the one containing `date` (and, for the `target` basis,
 * of that period too: its targets' lines, category-target.ts limitReaching), each exactly as GET /summary gives it
 * (SummaryService.ofPeriods, as the trends). Reads: the access BatchGetItem (account, budget,
 * membership; its budget's version is the answer's ETag), then ONE totalsOfRanges read of the
 * running totals for every period's ranges (adjacent: one Query of the month items). Nothing else.
 */
export class LimitSuggestionsService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'ofPeriods'>,
    private readonly clock: Clock,
  ) {}

  async suggestions(budgetId: string, userId: string, query: LimitSuggestionsQuery): Promise<LimitSuggestionsAnswer> {
    const { budget } = await this.access.require(budgetId, userId);
    const day = query.date ?? dateInTimeZone(this.clock.now(), budget.timezone);
    const current = periodContaining(budget.period, day);
    const listed = periodsEndingWith(budget.period, addDays(current.start, -1), query.periods);
    const withTargets = query.basis === 'target';
    // An inexact rollover amount is the summary's own 400, naming query.date as GET /summary does.
    const summaries = await this.summary.ofPeriods(budget, withTargets ? [...listed, current] : listed, 'query.date');
    const past = summaries.slice(0, listed.length);
    const now = withTargets ? summaries.at(-1)! : undefined;
    // summarize lists the budget's categories in its order: matched by position.
    const histories = budget.categories.map((_, i) => {
      // A dated target's limit from this period on, from its line (an undated one has no pace: none).
      const line = now?.categories[i];
      const target = line?.target;
      const targetLimit = target && target.periodsLeft !== null ? limitReaching(target, line!.limit!, line!.remaining!) : undefined;
      return { spent: past.map((s) => s.categories[i]!.spent), ...(targetLimit === undefined ? {} : { targetLimit }) };
    });
    const suggested = limitSuggestions(budget.categories, histories, query.basis, query.roundTo);
    return {
      version: budget.version,
      suggestions: { basis: query.basis, periods: listed.length, from: listed[0]!.start, to: listed.at(-1)!.end, ...suggested },
    };
  }
}
