/**
 * The personal access tokens this process has recently refused (pure: the caller passes the
 * time), so a flood of one made-up `bgt_` token costs one GetItem per container per TTL
 * instead of one per request.
 *
 * Only refusals are kept, never a grant: a token that resolves is read again on every request,
 * so a revoke takes effect at once in every container. A refusal cannot go stale: what is
 * remembered is either a token id that was not there (ids are fresh ULIDs, 80 random bits,
 * from newId; no id is ever given out again, so an absent or revoked one stays invalid for
 * good) or one exact token text whose secret did not match (a secret is only ever replaced by
 * a new random one, so a wrong one never becomes right). Bounded (least recently refused
 * first out) so a flood of distinct made-up tokens cannot grow memory; such a flood still
 * costs one read each, which is the limit this cache does not lift.
 */
export const REFUSED_TOKENS_TTL_MS = 60_000;
export const REFUSED_TOKENS_MAX = 10_000;

export class RefusedTokens {
  /** key -> when it stops counting (ms). A Map iterates in insertion order: the first is the oldest. */
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = REFUSED_TOKENS_TTL_MS,
    private readonly max = REFUSED_TOKENS_MAX,
  ) {}

  has(key: string, nowMs: number): boolean {
    const until = this.entries.get(key);
    if (until === undefined) return false;
    if (nowMs >= until) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  add(key: string, nowMs: number): void {
    this.entries.delete(key); // re-inserted last: the most recent
    this.entries.set(key, nowMs + this.ttlMs);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The key of a token id found absent (or revoked: deleted) in its owner's partition. */
export const absentTokenKey = (userId: string, tokenId: string) => `id:${userId}:${tokenId}`;

/** The key of one exact token whose secret did not match its (existing) item. */
export const wrongSecretKey = (token: string) => `text:${token}`;
