/**
 * A/B of the app's own CPU per POST expense: the app (bench/lib/serve-app.ts) of several
 * checkouts (e.g. `git archive` of the code before a change, and this one), each in its own
 * process on one DynamoDB Local, loaded in turn by autocannon with the same requests as the
 * http bench (a fresh Idempotency-Key each), rounds alternating the order. Per round and
 * process: CPU ms (user + system, /proc/<pid>/stat) per request and requests per second;
 * prints the medians. On a shared machine the CPU per request is the steadier figure.
 *   npx tsx bench/ab-http-cpu.ts <rounds> <requests per round> name=/path/to/checkout ...
 * A side `name=/path/to/checkout:bench/lib/serve-same-items.ts` runs that server script instead
 * of the app (e.g. the same-items floor, for what the app costs over it).
 * `PROFILE_DIR=<dir>` runs the processes under `node --cpu-prof` (the profile is written when
 * the process ends).
 */
import { newId } from '@budgeting/platform';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { ensureTable, freePort, localClient, startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { startServer } from './http-throughput';
import { median } from './lib/stats';

const rounds = Number(process.argv[2] ?? 6);
const requests = Number(process.argv[3] ?? 800);
const sides = process.argv.slice(4).map((a) => {
  const [name, where] = a.split('=') as [string, string];
  const [cwd, script = 'bench/lib/serve-app.ts'] = where.split(':') as [string, string?];
  return { name, cwd, script };
});
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 8);

/** CPU ms (user + system) so far of a process, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const local = await startDynamoDbLocal();
const tableName = `bench-ab-${Date.now().toString(36)}`;
const raw = localClient(local.endpoint);
await ensureTable(raw, tableName);
raw.destroy();
const nodeArgs = process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : [];
const servers = [];
for (const { name, cwd, script } of sides) {
  const env = { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: local.endpoint, PORT: String(await freePort()) };
  servers.push({ name, ...(await startServer(script, env, { cwd, nodeArgs })) });
}
try {
  let n = 0;
  const load = (info: Record<string, string>, amount: number) =>
    autocannon({
      // The app prints its budget; the floors take POST /expenses.
      url: info.budgetId ? `http://127.0.0.1:${info.port}/v1/budgets/${info.budgetId}/expenses` : `http://127.0.0.1:${info.port}/expenses`,
      connections: CONNECTIONS,
      amount,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(info.token ? { authorization: `Bearer ${info.token}` } : {}) },
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ amount: 100 + (n++ % 5000), occurredOn: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}` }),
            headers: { ...req.headers, 'idempotency-key': newId() },
          }),
        },
      ],
    });
  for (const s of servers) await load(s.info, 400); // warm-up: JIT, pools, every change counter known
  const samples = new Map(servers.map((s) => [s.name, [] as { cpuMs: number; perSecond: number; errors: number }[]]));
  for (let round = 0; round < rounds; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      const before = cpuMsOf(s.child.pid!);
      const result = await load(s.info, requests);
      const cpuMs = (cpuMsOf(s.child.pid!) - before) / result.requests.total;
      samples.get(s.name)!.push({ cpuMs, perSecond: result.requests.average, errors: result.errors + result.non2xx });
    }
  }
  for (const [name, xs] of samples) {
    const cpu = xs.map((x) => x.cpuMs.toFixed(2)).join(' ');
    console.log(
      `${name.padEnd(8)} CPU ms/request median ${median(xs.map((x) => x.cpuMs)).toFixed(2)} (${cpu})  req/s median ${median(xs.map((x) => x.perSecond)).toFixed(1)}  errors ${xs.reduce((t, x) => t + x.errors, 0)}`,
    );
  }
} finally {
  for (const s of servers) {
    const exited = new Promise((resolve) => s.child.once('exit', resolve));
    s.child.kill('SIGINT');
    await exited;
  }
  await local.stop();
}
