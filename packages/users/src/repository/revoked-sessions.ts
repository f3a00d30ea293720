import type { Key } from '@budgeting/platform';
import type { RevocationPlan, RevokedSessions, Slot, SlotState } from '../domain/revoked-sessions';
import type { TransactItem } from './transact';

/**
 * How the profile item stores the ended sessions whose access tokens may still be live
 * (domain/revoked-sessions.ts): per slot a String Set of session ids and the window it
 * belongs to, flat attributes so each write touches one slot without reading the other.
 */
const IDS = ['revokedSessions0', 'revokedSessions1'] as const;
const WINDOWS = ['revokedWindow0', 'revokedWindow1'] as const;

/** For an UpdateExpression's REMOVE: every attribute of the ended sessions (a session-epoch move makes them redundant). */
export const REVOKED_SESSION_ATTRIBUTES = [...IDS, ...WINDOWS].join(', ');

/**
 * The condition "the session `sessionId` was not ended" on the profile item: one AND chain, no
 * parentheses (it joins the account check's chain as it is). A missing set contains nothing.
 * Value placeholder: `:sid`.
 */
export function sessionNotEnded(sessionId: string): { condition: string; values: Record<string, string> } {
  return {
    condition: `NOT contains(${IDS[0]}, :sid) AND NOT contains(${IDS[1]}, :sid)`,
    values: { ':sid': sessionId },
  };
}

/** The ended sessions a profile item holds. */
export function revokedSessionsOf(item: Record<string, unknown>): RevokedSessions {
  const slot = (s: Slot): SlotState => {
    const ids = item[IDS[s]];
    const window = item[WINDOWS[s]];
    return { ...(typeof window === 'number' ? { window } : {}), ids: ids instanceof Set ? (ids as Set<string>) : new Set() };
  };
  return { slots: [slot(0), slot(1)] };
}

/**
 * The profile write that records `sessionId` as ended per `plan`, only on an existing profile
 * and only if the plan's view of the slot still holds: 'replace' needs the slot to hold another
 * window (or none), 'add' needs it to hold this window with room. A concurrent revocation that
 * changed the slot makes the write fail, and the caller plans again; two ADDs to the same window
 * both apply (a set union), so no revocation is lost.
 */
export function recordEndedSession(profile: Key, plan: Exclude<RevocationPlan, { kind: 'full' }>, sessionId: string, perWindow: number): TransactItem {
  const ids = IDS[plan.slot];
  const window = WINDOWS[plan.slot];
  if (plan.kind === 'replace') {
    return {
      Update: {
        Key: profile,
        UpdateExpression: `SET ${ids} = :ids, ${window} = :window`,
        ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(${window}) OR ${window} <> :window)`,
        ExpressionAttributeValues: { ':ids': new Set([sessionId]), ':window': plan.window },
      },
    };
  }
  return {
    Update: {
      Key: profile,
      UpdateExpression: `ADD ${ids} :ids`,
      ConditionExpression: `attribute_exists(pk) AND ${window} = :window AND size(${ids}) < :perWindow`,
      ExpressionAttributeValues: { ':ids': new Set([sessionId]), ':window': plan.window, ':perWindow': perWindow },
    },
  };
}
