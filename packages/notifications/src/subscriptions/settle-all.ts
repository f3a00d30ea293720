/**
 * Throws the first rejection of `tasks` after every one of them has settled: one failed member
 * or device must not stop the others, and the event still fails, so its redelivery retries
 * what is not recorded as done yet.
 */
export async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
