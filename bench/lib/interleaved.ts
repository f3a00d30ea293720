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
