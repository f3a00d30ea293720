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
 *   id sent (the numbers in `s` were read before the first page);
 * - `n`: only while the first sync is paging through the budget's income entries (after its
 *   expenses), the last income id sent, '' before the first;
 * - `i: 1`: the client has the budget's income (every token issued since income is synced,
 *   except while paging). A token without it and without `a` or `n` was issued before: its
 *   client never got the income written until then (no change entry names it), so its next
 *   sync pages through the budget's income entries first (decoded as `n: ''`), then goes on
 *   from its numbers as before.
 * - `d`: only while the first sync is paging through the budget's recurring definitions (after
 *   its income): `e` then the last recurring expense id sent ('' none yet), or `i` then the last
 *   recurring income id sent (`i` alone: the recurring expenses done, none of those yet). Paged
 *   as the expenses, so no page holds more than `limit` items (a definition can be ~100 KB sent:
 *   all of them on one page could pass what Lambda can send, whatever `limit` said).
 * - `r: 1`: the client has the budget's recurring definitions (every incremental token issued
 *   since they are synced, 2026-12-05). An incremental token without it was issued before: its
 *   client never got the definitions written until then, so its next sync pages through all of
 *   them first (decoded as `definitionsAfter: ''`), then goes on from its numbers.
 * An edited token, one of another budget, or garbage is a 400 naming `query.since`.
 */
export interface SyncState {
  seqs: number[];
  budgetHash: string;
  snapshotAfter?: string;
  /** While the first sync pages through the income entries: the last id sent ('' none yet). */
  incomeAfter?: string;
  /**
   * While the first sync pages through the recurring definitions: '' none yet, `e<id>` after
   * the recurring expense `id`, `i` (then `i<id>`) in the recurring income (see `d` above).
   */
  definitionsAfter?: string;
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
      n: z.string().max(64).optional(),
      d: z.string().max(129).optional(),
      i: z.literal(1).optional(),
      r: z.literal(1).optional(),
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

/**
 * How many tokens a codec remembers having issued (see changesTokenCodec); past that it forgets
 * them all, like the verified access tokens of the auth middleware.
 */
const ISSUED_MAX = 1_000;

/**
 * The codec remembers the tokens it issued lately, both ways: the same state of the same budget
 * gets the same token again (a client polling with nothing new gets back the token it sent),
 * and a token it issued is read back without decrypting it (the usual next request of a client:
 * the token of its last answer, often to the same warm container). A remembered token is
 * exactly the string this codec encrypted for that budget, so knowing it is as good as
 * decrypting it; anything else is decrypted and checked as always. Reusing a token for an equal
 * state reveals only that the states are equal, which its holder knows already. Saves the
 * AES-GCM set-up, JSON and the zod check on GET /changes (issue 11: about 0.3 ms of the app's
 * CPU per call).
 */
export function changesTokenCodec(cursors: CursorCodec): ChangesTokenCodec {
  const binding = (budgetId: string) => JSON.stringify(['changes', budgetId]);
  /** budgetId + payload JSON -> token. */
  const tokens = new Map<string, string>();
  /** token -> what it was issued for. */
  const states = new Map<string, { budgetId: string; state: SyncState }>();
  // As decode returns it (an empty snapshotAfter is not encoded), and not shared with a caller.
  const copy = (state: SyncState): SyncState => ({
    seqs: [...state.seqs],
    budgetHash: state.budgetHash,
    ...(state.snapshotAfter
      ? { snapshotAfter: state.snapshotAfter }
      : state.incomeAfter !== undefined
        ? { incomeAfter: state.incomeAfter }
        : state.definitionsAfter !== undefined
          ? { definitionsAfter: state.definitionsAfter }
          : {}),
  });
  return {
    encode(state, budgetId) {
      const position = state.snapshotAfter
        ? { a: state.snapshotAfter }
        : state.incomeAfter !== undefined
          ? { n: state.incomeAfter }
          : state.definitionsAfter !== undefined
            ? { i: 1, d: state.definitionsAfter }
            : { i: 1, r: 1 };
      const payload = { v: 1, s: state.seqs, h: state.budgetHash, ...position };
      const id = `${budgetId}\n${JSON.stringify(payload)}`;
      const known = tokens.get(id);
      if (known !== undefined) return known;
      const token = cursors.encode(payload, binding(budgetId))!;
      if (tokens.size >= ISSUED_MAX) {
        tokens.clear();
        states.clear();
      }
      tokens.set(id, token);
      states.set(token, { budgetId, state: copy(state) });
      return token;
    },
    decode(token, budgetId) {
      const issued = states.get(token);
      if (issued?.budgetId === budgetId) return copy(issued.state);
      const raw = cursors.decode(token, binding(budgetId), SINCE_FIELD);
      const parsed = (payload ??= payloadSchema()).safeParse(raw);
      // Signed by us but not of this shape: a token of an older format (the shard count changed).
      if (!parsed.success) throw problems.validation([SINCE_FIELD], 'query.since is not valid here.');
      const { s: seqs, h: budgetHash, a, n, i, d, r } = parsed.data;
      if (a) return { seqs, budgetHash, snapshotAfter: a };
      // `n`: paging through income; neither `n` nor `i`: a token of before income was synced (see SyncState).
      if (n !== undefined || i === undefined) return { seqs, budgetHash, incomeAfter: n ?? '' };
      if (d !== undefined) return { seqs, budgetHash, definitionsAfter: d };
      // Incremental without `r`: a token of before the definitions were synced, paged through them first (see SyncState).
      return r === undefined ? { seqs, budgetHash, definitionsAfter: '' } : { seqs, budgetHash };
    },
  };
}

/** A short, stable fingerprint of the budget as the client would receive it. */
export function budgetFingerprint(budget: unknown): string {
  return createHash('sha256').update(JSON.stringify(budget)).digest('base64url').slice(0, 16);
}
