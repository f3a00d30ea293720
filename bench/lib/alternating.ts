import { ownCpuMs } from './process-cpu';

/** What one side of alternatingBlocks did: calls, the ms they took, and the CPU both processes spent meanwhile. */
export interface SideTotals {
  calls: number;
  ms: number;
  /** This process's CPU ms during the side's blocks. */
  cpuMs: number;
  /** DynamoDB Local's CPU ms during the side's blocks (NaN without one). */
  dynamoDbLocalCpuMs: number;
}

const empty = (): SideTotals => ({ calls: 0, ms: 0, cpuMs: 0, dynamoDbLocalCpuMs: 0 });

/**
 * Runs two calls in alternating blocks of `block` calls (A B, B A, A B, ...) for about `ms` in
 * all, timing each block, and adds each side's blocks up. Alternating every few calls instead
 * of every few seconds: on a machine shared with other work the load changes from second to
 * second, and a side measured a few seconds apart from the other can land on a busier moment;
 * here both sides see nearly the same moments. `dynamoDbLocalCpu` reads DynamoDB Local's CPU ms
 * so far (see process-cpu.ts).
 */
export async function alternatingBlocks(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  opts: { ms: number; block: number; dynamoDbLocalCpu: () => number },
): Promise<{ a: SideTotals; b: SideTotals }> {
  const totals = { a: empty(), b: empty() };
  const runBlock = async (side: 'a' | 'b') => {
    const call = side === 'a' ? a : b;
    const java = opts.dynamoDbLocalCpu();
    const own = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < opts.block; i++) await call();
    const t = totals[side];
    t.ms += performance.now() - started;
    t.cpuMs += ownCpuMs(own);
    t.dynamoDbLocalCpuMs += opts.dynamoDbLocalCpu() - java;
    t.calls += opts.block;
  };
  const started = performance.now();
  for (let step = 0; performance.now() - started < opts.ms; step++) {
    if (step % 2 === 0) {
      await runBlock('a');
      await runBlock('b');
    } else {
      await runBlock('b');
      await runBlock('a');
    }
  }
  return totals;
}
