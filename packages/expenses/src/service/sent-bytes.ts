/**
 * Adds up the bytes items take as Lambda sends them in a sync page (`JSON.stringify` of its result,
 * the body a JSON string in it), cheaply while that is surely under the cap. As sent, an item's
 * JSON takes at most 3 bytes a UTF-16 unit: an ASCII one 1, or 2 for a quote or backslash escaped
 * again; a non-ASCII one 2 or 3 in UTF-8 (a surrogate pair 4 for two); control characters and
 * lone surrogates are ASCII escapes already. So 3 x its length (+2 for the quotes) bounds it with no
 * scan and no second stringify. Only once that bound passes the cap are the items measured
 * exactly (what GET /changes' CPU cost would otherwise pay on every page: a page of 20 usual
 * expenses is a few KB against a 4 MiB cap).
 */
export class SentBytesMeter {
  private bound = 0;
  private exact: number | undefined;
  /** The items' JSON while only bounded, to measure them once the bound no longer tells. */
  private bounded: string[] = [];

  constructor(private readonly cap: number) {}

  /** Adds `item`; false when everything added so far takes more than the cap as sent. */
  add(item: unknown): boolean {
    const json = JSON.stringify(item);
    if (this.exact === undefined) {
      this.bound += 3 * json.length + 2;
      this.bounded.push(json);
      if (this.bound <= this.cap) return true;
      this.exact = this.bounded.reduce((sum, seen) => sum + sentBytes(seen), 0);
      this.bounded = [];
      return this.exact <= this.cap;
    }
    this.exact += sentBytes(json);
    return this.exact <= this.cap;
  }
}

/** A JSON text's bytes as Lambda sends it: escaped again as part of the body string. */
const sentBytes = (json: string) => Buffer.byteLength(JSON.stringify(json));
