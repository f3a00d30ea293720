import { createHash } from 'node:crypto';
import { problems, type CursorCodec } from '@budgeting/platform';
import { z } from '@hono/zod-openapi';
import { CHANGE_SHARDS } from '../repository/change-log';

/**
 * serverKnowledge, the token of delta sync: opaque to clients (encrypted and authenticated, the
 * platform's cursors), bound to one budget. It carries
 * - `s`: per change shard, the last change number the client has been sent;
 * - `h`: a short hash of the budget as last sent to the client (its settings and the caller's
 *   role), so the budget is sent again exactly when what the client saw changed;
 * - `a`: only while the first sync is paging through the budget's expenses, the last expense
 *   id sent (the numbers in `s` were read before the first page).
 * An edited token, one of another budget, or garbage is a 400 naming `query.since`.
 */
export interface SyncState {
  seqs: number[];
  budgetHash: string;
  snapshotAfter?: string;
}

// Built on the first decode, not at start: the module is imported by every cold start (issue 11).
let payload: ReturnType<typeof payloadSchema> | undefined;
const payloadSchema = () =>
  z
    .object({
      v: z.literal(1),
      s: z.array(z.number().int().min(0)).length(CHANGE_SHARDS),
      h: z.string().max(64),
      a: z.string().min(1).max(64).optional(),
    })
    .strict();

const SINCE_FIELD = {
  path: 'query.since',
  message: "Invalid serverKnowledge: pass back the serverKnowledge of this budget's last changes response",
};

export interface ChangesTokenCodec {
  encode(state: SyncState, budgetId: string): string;
  /** The state of a token; throws a 400 (naming query.since) for anything it did not issue for this budget. */
  decode(token: string, budgetId: string): SyncState;
}

export function changesTokenCodec(cursors: CursorCodec): ChangesTokenCodec {
  const binding = (budgetId: string) => JSON.stringify(['changes', budgetId]);
  return {
    encode(state, budgetId) {
      const payload = { v: 1, s: state.seqs, h: state.budgetHash, ...(state.snapshotAfter ? { a: state.snapshotAfter } : {}) };
      return cursors.encode(payload, binding(budgetId))!;
    },
    decode(token, budgetId) {
      const raw = cursors.decode(token, binding(budgetId), SINCE_FIELD);
      const parsed = (payload ??= payloadSchema()).safeParse(raw);
      // Signed by us but not of this shape: a token of an older format (the shard count changed).
      if (!parsed.success) throw problems.validation([SINCE_FIELD], 'query.since is not valid here.');
      return { seqs: parsed.data.s, budgetHash: parsed.data.h, ...(parsed.data.a ? { snapshotAfter: parsed.data.a } : {}) };
    },
  };
}

/** A short, stable fingerprint of the budget as the client would receive it. */
export function budgetFingerprint(budget: unknown): string {
  return createHash('sha256').update(JSON.stringify(budget)).digest('base64url').slice(0, 16);
}
