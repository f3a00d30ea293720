/**
 * Measures the app and its floor in alternating order (floor then app, then app then floor,
 * ...), so a slow moment of the shared machine hits both alike; returns each side's runs in
 * round order.
 */
export async function interleavedRounds<T>(rounds: number, measure: { app: () => Promise<T>; floor: () => Promise<T> }): Promise<{ app: T[]; floor: T[] }> {
  const app: T[] = [];
  const floor: T[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      floor.push(await measure.floor());
      app.push(await measure.app());
    } else {
      app.push(await measure.app());
      floor.push(await measure.floor());
    }
  }
  return { app, floor };
}

/**
 * The same for any number of sides: each round measures every side once, in the given order
 * on even rounds and in reverse on odd ones, so no side always follows the same neighbour.
 */
export async function interleavedSides<K extends string, T>(rounds: number, measure: Record<K, () => Promise<T>>): Promise<Record<K, T[]>> {
  const sides = Object.keys(measure) as K[];
  const runs = Object.fromEntries(sides.map((side) => [side, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) runs[side].push(await measure[side]());
  }
  return runs;
}
