/**
 * Throws the first rejection of `tasks` after every one of them has settled: one failed member,
 * device or batch must not stop the others, and the work still fails, so its redelivery retries
 * what is not recorded as done yet (the notifications' pushes, an import chunk's writers).
 */
export async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
