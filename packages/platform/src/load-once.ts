/**
 * Runs `load` once and shares its promise (a chunk imported on first use, a service built on
 * first use); a failed load is retried by the next call instead of being cached, so one
 * transient failure does not stick for the container's life.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}
