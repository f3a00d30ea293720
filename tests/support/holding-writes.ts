import { withCommandMiddleware } from './command-middleware';
import type { TestSystem } from './test-system';

/**
 * Runs `work` with every TransactWriteItems naming `marker` held until `meanwhile` has run, and
 * times, per such transaction, the gap from the last BatchGetItem answer before it to its own
 * answer (ms). The marker must not be named by `meanwhile`'s own transaction (the archive's
 * names the budget item and every membership), or that one would be held too.
 */
export async function holdingWrites<T>(t: Pick<TestSystem, 'doc'>, marker: string, meanwhile: (() => Promise<unknown>) | undefined, work: () => Promise<T>) {
  const gaps: number[] = [];
  let lastRead = 0;
  const result = await withCommandMiddleware(
    t.doc,
    'holdWritesNaming',
    (next, context) => async (args) => {
      const mine = JSON.stringify(args.input).includes(marker);
      if (context.commandName === 'BatchGetItemCommand' && mine) {
        const out = await next(args);
        lastRead = performance.now();
        return out;
      }
      if (context.commandName === 'TransactWriteItemsCommand' && mine) {
        if (meanwhile) await meanwhile();
        const out = await next(args);
        gaps.push(performance.now() - lastRead);
        return out;
      }
      return next(args);
    },
    work,
  );
  return { result, gaps };
}
