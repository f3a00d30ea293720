import type { MeteredSystem } from './metered-system';

/** A CSV file of `rows` distinct expenses (row numbers from `offset`), all in October 2026. */
export function csvOfRows(rows: number, offset: number): string {
  const lines = ['date,amount,category,description,merchant'];
  for (let i = 0; i < rows; i++) {
    const n = offset + i;
    lines.push(`2026-10-${String(1 + (n % 28)).padStart(2, '0')},${(1 + (n % 900)).toString()}.${String(n % 100).padStart(2, '0')},Groceries,row ${n},Shop ${n % 37}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Imports `rows` rows through the API as a client would: one POST (202 + Location, waiting up
 * to 25 s), then GET of the import resource every 100 ms until it has succeeded.
 */
export async function importThroughApi(s: MeteredSystem, token: string, budgetId: string, rows: number, offset: number) {
  const accepted = await s.request('POST', `/v1/budgets/${budgetId}/expenses/import`, token, csvOfRows(rows, offset), { prefer: 'wait=25' });
  const location = accepted.headers.get('location')!;
  let record = accepted.json!;
  let requests = 1;
  while (record.status === 'queued' || record.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    record = (await s.request('GET', location, token)).json!;
    requests++;
  }
  if (record.status !== 'succeeded') throw new Error(`import ${record.status}: ${JSON.stringify(record.errors)}`);
  return { imported: Number(record.imported), requests };
}
