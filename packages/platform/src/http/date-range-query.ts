import { dayNumber } from '../dates';
import { problems } from './problem';

/** A day range both of whose ends are included. */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * The `from`/`to` query of a report over a range of days (the balances, the spending
 * breakdown): both (`from` on or before `to`, at most `maxDays` days, both ends included) or
 * neither, which means the current period (`currentPeriod`, asked only then). One rule for
 * every such route, so a client learns one set of errors: a missing end names the missing
 * parameter, ends the wrong way round name `from`, a range too long names both.
 */
export function requestedDayRange(range: { from?: string; to?: string }, currentPeriod: () => { start: string; end: string }, maxDays: number): DayRange {
  const { from, to } = range;
  if (from === undefined && to === undefined) {
    const period = currentPeriod();
    return { from: period.start, to: period.end };
  }
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? 'from' : 'to';
    throw problems.validation([{ path: `query.${missing}`, message: 'Give both `from` and `to`, or neither for the current period' }]);
  }
  if (from > to) throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
  if (dayNumber(to) - dayNumber(from) + 1 > maxDays) {
    const message = `The range may cover at most ${maxDays} days, both ends included`;
    throw problems.validation([
      { path: 'query.from', message },
      { path: 'query.to', message },
    ]);
  }
  return { from, to };
}
