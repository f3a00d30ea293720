import { expect } from 'vitest';
import { expectProblem } from '../../support/problem';
import type { Harness } from '../expenses/harness';

/** The archive's 409 (budgets README "Archiving a budget"). */
export function expectArchived(res: { status: number; headers: Headers; json: any; text: string }) {
  expectProblem(res, 409);
  expect(res.json.type).toMatch(/budget-archived$/);
}

/**
 * Runs `work` with every TransactWriteItems naming `marker` held until `meanwhile` has run, and
 * times, per such transaction, the gap from the last BatchGetItem answer before it to its own
 * answer (ms).
 */
export async function holdingWrites<T>(h: Harness, marker: string, meanwhile: (() => Promise<unknown>) | undefined, work: () => Promise<T>) {
  const gaps: number[] = [];
  let lastRead = 0;
  const name = 'holdWritesNaming';
  h.t.doc.middlewareStack.add(
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
    { step: 'initialize', name },
  );
  try {
    return { result: await work(), gaps };
  } finally {
    h.t.doc.middlewareStack.remove(name);
  }
}

