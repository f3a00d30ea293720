import { DELETE_SLICE_KEYS, deleteInSteps, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { SessionsRepository } from '../repository/sessions.repository';
import { SESSIONS_CLEANUP_JOB, type SessionsCleanupUnit } from './names';

/**
 * The work on an account's sessions that grows with their number, as a fan-out job without a
 * schedule: its unit is written in the transaction of the request that causes it (platform
 * queuedUnitPut; the table stream's relay queues it), so it exists exactly when that committed,
 * and the request answers without waiting on it.
 *
 * - `earlier-epochs` (a password change or reset): the families of earlier epochs marked ended,
 *   a page at a time, oldest first, until the invocation's deadline; the rest is queued as the
 *   same unit from the last family read (`after`). Bookkeeping: the raised epoch refuses their
 *   tokens already, and GET /v1/me/sessions leaves them out by their epoch meanwhile.
 * - `account-deleted` (DELETE /v1/me): every family and refresh token of the account deleted in
 *   bounded steps (platform deleteInSteps), the rest queued as the same unit. The profile is gone,
 *   so none of them works meanwhile (a refresh checks it; no sign-in can add one).
 * - `sign-in-counters` (DELETE /v1/me, an email change): every item of the old address's sign-in
 *   throttle partitions (its counters, one per client bucket that tried it, and its known
 *   clients) deleted the same way. Their number is not the account's to bound: anyone can try
 *   to sign in to an address from as many buckets (IPv6 /64s) as they hold, each leaving a
 *   counter until its TTL, so the request that frees the address no longer deletes them itself.
 *
 * Idempotent: marks keep the first one, and each deletion slice is read anew, so a redelivered
 * unit finds only what is left.
 */

/** `now`: the invocation's time in ms for the deadline checks (tests step it; default the wall clock). */
export function sessionsCleanupJob(d: { store: Pick<ModuleStore, 'batchDelete'>; sessions: SessionsRepository; now?: () => number }): FanOutJob<SessionsCleanupUnit> {
  const now = d.now ?? Date.now;
  return {
    name: SESSIONS_CLEANUP_JOB,
    async work(unit, _now, ctx) {
      if (unit.kind === 'sign-in-counters') {
        const { deleted, finished } = await deleteInSteps(d.store, () => d.sessions.signInCountersSlice(unit.partitions, DELETE_SLICE_KEYS), ctx.deadline, now);
        ctx.logger.info("an address's sign-in counters deleted", { userId: unit.userId, deleted, finished });
        return { done: deleted, ...(finished ? {} : { again: unit }) };
      }
      if (unit.kind === 'account-deleted') {
        const { deleted, finished } = await deleteInSteps(d.store, () => d.sessions.deletionSlice(unit.userId, DELETE_SLICE_KEYS), ctx.deadline, now);
        ctx.logger.info("deleted account's sessions deleted", { userId: unit.userId, deleted, finished });
        return { done: deleted, ...(finished ? {} : { again: unit }) };
      }
      let marked = 0;
      let after = unit.after;
      // The first page runs whatever the time, so every invocation makes progress.
      for (let pages = 0; ; pages++) {
        if (pages > 0 && now() >= ctx.deadline) return { done: marked, again: { ...unit, after } };
        const page = await d.sessions.markPageBeforeEpoch(unit.userId, unit.epoch, unit.reason, unit.at, after);
        marked += page.marked;
        if (page.lastFamilyId === undefined) return { done: marked };
        after = page.lastFamilyId;
      }
    },
    parseUnit: parseSessionsCleanupUnit,
  };
}

function parseSessionsCleanupUnit(raw: unknown): SessionsCleanupUnit {
  const unit = raw as Record<string, unknown> | null;
  if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('sessions cleanup unit needs a userId');
  if (unit.kind === 'account-deleted') return { kind: 'account-deleted', userId: unit.userId };
  if (unit.kind === 'sign-in-counters') {
    const partitions = unit.partitions;
    if (!Array.isArray(partitions) || partitions.length === 0 || !partitions.every((p) => typeof p === 'string' && p.startsWith('users#throttle#'))) {
      throw new Error('sessions cleanup unit needs the sign-in throttle partitions');
    }
    return { kind: 'sign-in-counters', userId: unit.userId, partitions: partitions as string[] };
  }
  if (unit.kind !== 'earlier-epochs') throw new Error('sessions cleanup unit needs a kind: earlier-epochs, account-deleted or sign-in-counters');
  if (typeof unit.epoch !== 'number' || !Number.isInteger(unit.epoch) || unit.epoch < 1) throw new Error('sessions cleanup unit needs the raised epoch');
  if (unit.reason !== 'password-changed' && unit.reason !== 'too-many-ended') throw new Error('sessions cleanup unit needs a reason: password-changed or too-many-ended');
  if (typeof unit.at !== 'string' || Number.isNaN(Date.parse(unit.at))) throw new Error('sessions cleanup unit needs the change time');
  if (unit.after !== undefined && (typeof unit.after !== 'string' || unit.after.length === 0)) throw new Error("sessions cleanup unit's after must be a family id");
  return { kind: 'earlier-epochs', userId: unit.userId, epoch: unit.epoch, reason: unit.reason, at: unit.at, ...(unit.after !== undefined ? { after: unit.after } : {}) };
}
