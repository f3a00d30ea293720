import { describe, expect, it } from 'vitest';
import { KeyedLanes } from './keyed-lanes';

/** A write that records when it starts and ends, and finishes when told. */
function heldWrite(log: string[], name: string, fail = false) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const write = async () => {
    log.push(`${name} start`);
    await done;
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
  return { write, finish };
}

describe('KeyedLanes', () => {
  it('runs one write at a time per key, in order, even after a failure, and other keys at once', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const a1 = heldWrite(log, 'a1', true);
    const a2 = heldWrite(log, 'a2');
    const b1 = heldWrite(log, 'b1');
    const first = lanes.run('a', a1.write);
    const second = lanes.run('a', a2.write);
    const other = lanes.run('b', b1.write);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a1 start', 'b1 start']);
    b1.finish();
    await expect(other).resolves.toBe('b1');
    a1.finish();
    await expect(first).rejects.toThrow('a1 failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start']);
    a2.finish();
    await expect(second).resolves.toBe('a2');
  });
});
