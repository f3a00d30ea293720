export {};

/**
 * A large CSV file through the HTTP API of a running server (issue 11: "a 20,000-row file
 * imports completely through the HTTP API on `npm start`"): signs up, creates a budget, POSTs
 * the file once (202 + Location), polls the import resource until it has finished, then checks
 * the budget's summary against the file's sum. Start the server first, e.g.
 *
 *   PORT=3177 DYNAMODB_LOCAL_PORT=8177 DATA_DIR=/tmp/import-large npm start
 *   BASE_URL=http://127.0.0.1:3177 ROWS=20000 npx tsx bench/import-large.ts
 */
const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const rows = Number(process.env.ROWS ?? 20_000);

async function call(method: string, path: string, token?: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, location: res.headers.get('location'), json: text ? JSON.parse(text) : undefined };
}

const email = `import-large-${Date.now()}@example.com`;
const json = { 'content-type': 'application/json' };
const signup = await call('POST', '/v1/auth/signup', undefined, JSON.stringify({ email, password: 'correct horse battery staple' }), json);
const token: string = signup.json.tokens.accessToken;
const budget = await call('POST', '/v1/budgets', token, JSON.stringify({ name: 'Import', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000_000 }), json);

// Row n: November 2026, (n % 50 + 1) dollars and (n % 100) cents, distinct by description.
const cents = (n: number) => ((n % 50) + 1) * 100 + (n % 100);
const lines = ['date,amount,category,description,merchant'];
let sum = 0;
for (let n = 0; n < rows; n++) {
  sum += cents(n);
  lines.push(`2026-11-${String(1 + (n % 28)).padStart(2, '0')},${Math.floor(cents(n) / 100)}.${String(cents(n) % 100).padStart(2, '0')},,row ${n},Shop ${n % 7}`);
}
const file = `${lines.join('\n')}\n`;

const started = performance.now();
const accepted = await call('POST', `/v1/budgets/${budget.json.id}/expenses/import`, token, file, { 'content-type': 'text/csv' });
console.log(`POST: ${accepted.status}, ${(Buffer.byteLength(file) / 1024 / 1024).toFixed(2)} MB, Location ${accepted.location}`);
let record = accepted.json;
while (record.status === 'queued' || record.status === 'running') {
  await new Promise((r) => setTimeout(r, 1_000));
  record = (await call('GET', accepted.location!, token)).json;
  process.stdout.write(`\r${record.status} ${record.processed}/${record.total} processed, ${record.imported} imported   `);
}
const seconds = (performance.now() - started) / 1000;
const summary = await call('GET', `/v1/budgets/${budget.json.id}/summary?date=2026-11-15`, token);
console.log(`\n${record.status}: ${record.imported}/${rows} imported, ${record.duplicates} duplicates, ${record.errorCount} errors in ${seconds.toFixed(1)} s (${(record.imported / seconds).toFixed(1)} rows/s)`);
console.log(`summary spent ${summary.json.spent}, file sum ${sum}: ${summary.json.spent === sum ? 'exact' : 'MISMATCH'}`);
if (record.status !== 'succeeded' || record.imported !== rows || summary.json.spent !== sum) process.exit(1);
