/**
 * Runs writes one at a time per key within this process, in the order they came, each after
 * the previous one of its key settled (whether it succeeded or failed), while writes of other
 * keys run at once: a change counter's stamps (expenses ChangeLog), an import's writes of one
 * lane (ImportChunkWriter). A key's entry goes when its last write is done, so the map holds
 * only keys with work in flight.
 */
export class KeyedLanes {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(write);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    }
  }
}
