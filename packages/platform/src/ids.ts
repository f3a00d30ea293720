import { monotonicFactory } from 'ulid';

/**
 * IDs are ULIDs: opaque, URL-safe and sortable by creation time. The monotonic factory keeps
 * IDs made within the same millisecond in order, so "newest first" lists stay stable.
 */
const nextUlid = monotonicFactory();

export function newId(now: number = Date.now()): string {
  return nextUlid(now);
}
