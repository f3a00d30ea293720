import type { FanOutJob, JobReport, Logger } from '@budgeting/platform';
import { segmentedScanJob, type ScanSegmentUnit } from '@budgeting/platform/segmented-scan';
import { UnopenableSecretError, type TotpSecretSealer } from '../domain/totp-secret-sealer';
import type { MfaSeals, SealedMfaItem } from '../repository/mfa-seals';
import { MFA_RESEAL_JOB } from './names';

/**
 * Operator job `npm run job -- users-mfa-reseal` (with the deployment's MFA_SECRETS_KEY,
 * MFA_SECRETS_KEY_PREVIOUS during a rotation, and WEBHOOK_SECRETS_KEY for the v1 seals): every
 * two-factor item whose seal is stale (TotpSecretSealer.unseal: `v1`, or `v2` that opened only
 * with the previous key) is resealed under the current key now, instead of on its user's next
 * code, so the operator learns when the old key may be dropped (packages/users/docs/two-factor-sign-in.md,
 * "Rotating MFA_SECRETS_KEY"): when a run reports `resealed` 0 and no `unopenable` left to handle.
 *
 * A segmented Scan (platform segmentedScanJob: a unit per segment, paged on across
 * invocations) of the users module's `users#mfa` items (repository/mfa-seals.ts). Each reseal
 * is one conditional UpdateItem on the seal read, so an enrolment or a code's own reseal
 * written meanwhile wins (`changedMeanwhile`) and a second run reseals nothing more. A seal
 * that opens with no configured key is counted `unopenable` with its user's id: that user must
 * enrol again (or support resets it: `users-mfa-reset`). A value that is no seal at all is
 * `failed`, with its user's id. A write that errors fails the unit (the queue retries it, as
 * any unit; all of it is idempotent). The secret itself is never logged nor reported.
 * Cost: the Scan reads the whole table once (every module's items), whatever it keeps.
 */
export type MfaResealUnit = ScanSegmentUnit;

/** Segments worked at once, each by its own unit. */
export const MFA_RESEAL_SEGMENTS = 16;

export function mfaResealJob(deps: { seals: MfaSeals; sealer: TotpSecretSealer; segments?: number }): FanOutJob<MfaResealUnit> {
  return segmentedScanJob({
    name: MFA_RESEAL_JOB,
    segments: deps.segments ?? MFA_RESEAL_SEGMENTS,
    async page(segment, totalSegments, startKey, ctx) {
      const page = await deps.seals.page(segment, totalSegments, startKey);
      const tally = { scanned: page.scanned, mfaItems: page.sealed.length + page.malformed.length, resealed: 0, alreadyCurrent: 0, changedMeanwhile: 0, unopenable: 0, failed: page.malformed.length };
      const unopenableUsers: string[] = [];
      const failedUsers = [...page.malformed];
      for (const item of page.sealed) {
        const outcome = await resealOne(deps, item, ctx.logger);
        tally[outcome]++;
        if (outcome === 'unopenable') unopenableUsers.push(item.userId);
        if (outcome === 'failed') failedUsers.push(item.userId);
      }
      const report: JobReport = { ...tally, unopenableUsers, failedUsers };
      return { done: tally.resealed, report, ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
    },
    afterUnit(unit, { report }, finished, ctx) {
      ctx.logger.info('two-factor seals checked', { segment: unit.segment, finished, ...report });
    },
  });
}

type Outcome = 'resealed' | 'alreadyCurrent' | 'changedMeanwhile' | 'unopenable' | 'failed';

/** One item: opened, and resealed under the current key if it is stale. */
async function resealOne(deps: { seals: MfaSeals; sealer: TotpSecretSealer }, item: SealedMfaItem, logger: Logger): Promise<Outcome> {
  let opened;
  try {
    opened = deps.sealer.unseal(item.sealedSecret, item.userId);
  } catch (err) {
    // The sealer's messages name the user and the keys tried, never the value.
    logger.warn(err instanceof UnopenableSecretError ? 'two-factor seal opens with no configured key' : 'two-factor item holds no TOTP seal', { userId: item.userId, error: (err as Error).message });
    return err instanceof UnopenableSecretError ? 'unopenable' : 'failed';
  }
  if (!opened.stale) return 'alreadyCurrent';
  const resealed = await deps.seals.reseal(item.userId, item.sealedSecret, deps.sealer.seal(opened.secret, item.userId));
  return resealed ? 'resealed' : 'changedMeanwhile';
}
