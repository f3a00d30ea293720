import type { FanOutJob } from '@budgeting/platform';
import { segmentedScanJob, type ScanSegmentUnit } from '@budgeting/platform/segmented-scan';
import type { LegacySecrets } from '../repository/legacy-secrets';
import { RESEAL_SECRETS_JOB } from './names';

/**
 * One-off operator job after deploying sealed webhook secrets: `npm run job --
 * webhooks-reseal-secrets` (with WEBHOOK_SECRETS_KEY set to the deployment's key). Items written
 * before that still hold their plain `secret` (still read, sealed on their next write); this
 * job seals them now, so no plain secret stays at rest.
 *
 * No index reaches every webhook (they sit in their owners' partitions), so it is a segmented
 * Scan (platform segmentedScanJob: a unit per segment, paged on across invocations); each page
 * (LegacySecrets.page) is resealed item by item, each under the condition that its plain
 * secrets are still the values read, so a rotation meanwhile is never overwritten. Running it
 * again changes nothing (a resealed item no longer matches).
 * Cost: the Scan reads the whole table once (every module's items), whatever it keeps.
 */
export type ResealUnit = ScanSegmentUnit;

/** Segments worked at once, each by its own unit (DynamoDB allows up to 1,000,000). */
export const RESEAL_SEGMENTS = 16;

export function resealSecretsJob(deps: { legacy: LegacySecrets; segments?: number }): FanOutJob<ResealUnit> {
  return segmentedScanJob({
    name: RESEAL_SECRETS_JOB,
    segments: deps.segments ?? RESEAL_SEGMENTS,
    async page(segment, totalSegments, startKey) {
      const page = await deps.legacy.page(segment, totalSegments, startKey);
      let done = 0;
      for (const item of page.legacy) if (await deps.legacy.reseal(item)) done++;
      return { done, ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
    },
    afterUnit(unit, { done }, finished, ctx) {
      if (done > 0) ctx.logger.info('webhook secrets resealed', { segment: unit.segment, resealed: done, finished });
    },
  });
}
export { LegacySecrets } from '../repository/legacy-secrets';
