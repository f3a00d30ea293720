import type { FanOutJob, PlanPage } from '@budgeting/platform';
import type { LegacySecrets } from '../repository/legacy-secrets';
import { RESEAL_SECRETS_JOB } from './names';

/**
 * One-off operator job after deploying sealed webhook secrets: `npm run job --
 * webhooks-reseal-secrets` (with WEBHOOK_SECRETS_KEY set to the deployment's key). Items written
 * before that still hold their plain `secret` (still read, sealed on their next write); this
 * job seals them now, so no plain secret stays at rest.
 *
 * No index reaches every webhook (they sit in their owners' partitions), so the planner hands
 * out the SEGMENTS of a parallel Scan, one unit each, all at once; each unit pages through its
 * segment (LegacySecrets.page) and reseals what it finds, each item under the condition that
 * its plain secrets are still the values read, so a rotation meanwhile is never overwritten;
 * when its invocation's time is up, the rest of the segment is queued as the same unit with
 * the page to start from. Running it again changes nothing (a resealed item no longer matches).
 * Cost: the Scan reads the whole table once (every module's items), whatever it keeps.
 */
export interface ResealUnit {
  segment: number;
  totalSegments: number;
  /** Where the segment goes on (a Scan's LastEvaluatedKey, as JSON); absent at its start. */
  startKey?: string;
}

/** Segments worked at once, each by its own unit (DynamoDB allows up to 1,000,000). */
export const RESEAL_SEGMENTS = 16;

export function resealSecretsJob(deps: { legacy: LegacySecrets; segments?: number }): FanOutJob<ResealUnit> {
  const totalSegments = deps.segments ?? RESEAL_SEGMENTS;
  return {
    name: RESEAL_SECRETS_JOB,
    async plan(): Promise<PlanPage<ResealUnit>> {
      return { units: Array.from({ length: totalSegments }, (_, segment) => ({ segment, totalSegments })) };
    },
    async work(unit, _now, ctx) {
      let startKey = unit.startKey ? (JSON.parse(unit.startKey) as Record<string, unknown>) : undefined;
      let resealed = 0;
      do {
        const page = await deps.legacy.page(unit.segment, unit.totalSegments, startKey);
        for (const item of page.legacy) if (await deps.legacy.reseal(item)) resealed++;
        startKey = page.lastKey;
      } while (startKey && Date.now() < ctx.deadline);
      if (resealed > 0) ctx.logger.info('webhook secrets resealed', { segment: unit.segment, resealed, finished: !startKey });
      return { done: resealed, ...(startKey ? { again: { ...unit, startKey: JSON.stringify(startKey) } } : {}) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ResealUnit> | null;
      const { segment, totalSegments, startKey } = unit ?? {};
      const valid =
        Number.isInteger(totalSegments) && Number.isInteger(segment) && segment! >= 0 && segment! < totalSegments! &&
        (startKey === undefined || typeof startKey === 'string');
      if (!valid) throw new Error('reseal unit needs 0 <= segment < totalSegments (integers) and an optional string startKey');
      return { segment: segment!, totalSegments: totalSegments!, ...(startKey === undefined ? {} : { startKey }) };
    },
  };
}
export { LegacySecrets } from '../repository/legacy-secrets';
