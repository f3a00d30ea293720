import type { Key, ModuleStore } from '../dynamo/module-store';
import { deleteInSteps, type DeletedSoFar } from './delete-in-steps';
import type { FanOutJob } from './fan-out';

/**
 * The shape every deleting cascade shares (budget.deleted, user.deleted): a fan-out job without a
 * schedule whose unit names what is gone (a budget, an account, a webhook). The subscriber queues
 * one unit; each invocation deletes what is left in bounded steps (deleteInSteps) and, when its
 * time is up, queues the rest as the same unit. Idempotent: each slice is read anew, so a
 * redelivered unit finds only what is left.
 *
 * `before` runs first in every invocation (so it must be idempotent): work that has to precede
 * the items' deletion, such as closing a budget to new writes or deleting its files. When it
 * answers `finished: false`, the unit is queued again before an item is touched.
 */

/** Keys per slice read: one Query page of keys only (about 100 KB). */
export const DELETE_SLICE_KEYS = 1_000;

export interface DeleteInStepsJobSpec<U extends Record<string, string>> {
  name: string;
  store: Pick<ModuleStore, 'batchDelete'>;
  /** Up to `limit` keys of what is left of the unit's data. */
  slice(unit: U, limit: number): Promise<Key[]>;
  before?(unit: U, deadline: number): Promise<DeletedSoFar | void>;
  /** The log line of each invocation (the unit's ids, the count and whether it finished go beside it). */
  logMessage: string;
  /** The unit's fields, each a non-empty id; `what` names the unit in a malformed message's error. */
  unit: { what: string; fields: readonly (keyof U & string)[] };
  /** The clock the steps are timed on (tests pass one that moves by itself; production passes nothing). */
  now?: () => number;
}

export function deleteInStepsJob<U extends Record<string, string>>(spec: DeleteInStepsJobSpec<U>): FanOutJob<U> {
  async function deleteSome(unit: U, deadline: number): Promise<DeletedSoFar> {
    const first = await spec.before?.(unit, deadline);
    if (first && !first.finished) return first;
    return deleteInSteps(spec.store, () => spec.slice(unit, DELETE_SLICE_KEYS), deadline, spec.now);
  }
  return {
    name: spec.name,
    async work(unit, _now, ctx) {
      const { deleted, finished } = await deleteSome(unit, ctx.deadline);
      ctx.logger.info(spec.logMessage, { ...unit, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit: (raw) => parseIdsUnit(raw, spec.unit.what, spec.unit.fields),
  };
}

/** A unit of ids only, each a non-empty string; messages come from outside the process. */
function parseIdsUnit<U extends Record<string, string>>(raw: unknown, what: string, fields: readonly (keyof U & string)[]): U {
  const given = (raw ?? {}) as Record<string, unknown>;
  const unit: Record<string, string> = {};
  for (const field of fields) {
    const value = given[field];
    if (typeof value !== 'string' || value.length === 0) throw new Error(`${what} unit needs ${field}`);
    unit[field] = value;
  }
  return unit as U;
}
