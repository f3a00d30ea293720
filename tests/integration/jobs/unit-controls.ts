import type { WorkMessage } from '../../../packages/app/src/jobs/messages';

/** A unit held at its gate: `entered` once its delivery arrived, delivered once `release` is called. */
export interface UnitGate {
  entered: Promise<void>;
  enter: () => void;
  release: () => void;
  released: Promise<void>;
}

/**
 * Units of one job killed or held before the job's code runs, for createFanOutSystem's
 * `beforeDelivery`: a key in `killed` throws on every delivery (an invocation killed on each
 * attempt, the last included: a Lambda timeout), a key given a `gate` waits there until
 * released (a delivery still running while the test does something else). `keyOf` names a
 * unit (e.g. `${budgetId}#${chunk}`); other jobs' messages and non-unit messages pass.
 */
export function unitControls<U>(job: string, keyOf: (unit: U) => string) {
  const killed = new Set<string>();
  const gates = new Map<string, UnitGate>();

  function gate(key: string): UnitGate {
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((r) => (enter = r));
    const released = new Promise<void>((r) => (release = r));
    const g = { entered, enter, release, released };
    gates.set(key, g);
    return g;
  }

  async function beforeDelivery(delivered: string, message: WorkMessage): Promise<void> {
    if (delivered !== job || message.type !== 'unit') return;
    const key = keyOf(message.unit as U);
    if (killed.has(key)) throw new Error('invocation killed (test)');
    const g = gates.get(key);
    if (g) {
      g.enter();
      await g.released;
    }
  }

  return { killed, gates, gate, beforeDelivery };
}
