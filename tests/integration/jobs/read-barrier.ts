/**
 * Holds the GetItems of one record (those whose request names `key`) until `size` of them wait,
 * then lets them all go at once: readers (or a reader and a watchdog) that all read the same
 * state before any of them writes, the race a conditional write must settle. For a DynamoDB
 * client middleware: `await reads.atGetItem(context.commandName, args.input)` before `next`.
 * `released` is true once the barrier has opened (or was never armed).
 */
export function readBarrier() {
  let armed: { key: string; size: number; waiting: (() => void)[] } | undefined;
  return {
    arm(key: string, size: number): void {
      armed = { key, size, waiting: [] };
    },
    get released(): boolean {
      return armed === undefined;
    },
    async atGetItem(commandName: string | undefined, input: unknown): Promise<void> {
      const barrier = armed;
      if (commandName !== 'GetItemCommand' || !barrier || !JSON.stringify(input).includes(barrier.key)) return;
      await new Promise<void>((resolve) => {
        barrier.waiting.push(resolve);
        if (barrier.waiting.length < barrier.size) return;
        armed = undefined;
        for (const go of barrier.waiting) go();
      });
    },
  };
}
