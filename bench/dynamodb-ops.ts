/**
 * DynamoDB requests and consumed capacity per API operation (issue 3): create budget,
 * create expense, get, list page, change, delete, and the budget summary for a small and a
 * large budget. Every request of the system's DocumentClient goes through a middleware that
 * asks for `ReturnConsumedCapacity: TOTAL` and adds up what DynamoDB reports.
 *
 * Runs the whole system in-process against DynamoDB Local: DYNAMODB_ENDPOINT if set, else
 * one started for the run. Standalone: `npx tsx bench/dynamodb-ops.ts` (BENCH_EXPENSES sets
 * the large budget's size, default 500).
 *
 * DynamoDB Local reports capacity like DynamoDB does (4 KB read units, 1 KB write units,
 * transactions doubled), so the numbers are those the same requests would cost in AWS.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, fixedClock, newId } from '@budgeting/platform';
import { pathToFileURL } from 'node:url';
import { ensureTable, localClient, startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { createSystem } from '../packages/app/src/system';
import { benchConfig } from './lib/metered-system';
import { formatTable } from './lib/table';
import { target, type BenchSuite, type SuiteReport } from './suite';

export interface Row {
  operation: string;
  /** Requests per operation (average over the repetitions). */
  requests: number;
  /** e.g. "TransactWriteCommand 1, BatchGetCommand 1" for one repetition. */
  commands: string;
  readCapacity: number;
  writeCapacity: number;
  totalCapacity: number;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Operations that accept ReturnConsumedCapacity (everything the modules send). */
const DATA_OPERATIONS = /^(Get|Put|Update|Delete|BatchGet|BatchWrite|TransactWrite|TransactGet)(Item|Items)?$|^(Query|Scan)$/;
const READ_OPERATIONS = /^(GetItem|BatchGetItem|TransactGetItems|Query|Scan)$/;

class Meter {
  commands: string[] = [];
  read = 0;
  write = 0;
  total = 0;
  on = false;

  reset() {
    this.commands = [];
    this.read = this.write = this.total = 0;
  }

  /** With TOTAL, DynamoDB reports CapacityUnits only: a read operation's are read units. */
  add(operation: string, consumed: Capacity | Capacity[] | undefined) {
    const reads = READ_OPERATIONS.test(operation);
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const units = c.CapacityUnits ?? 0;
      this.total += units;
      if (reads) this.read += c.ReadCapacityUnits ?? units;
      else this.write += c.WriteCapacityUnits ?? units;
    }
  }
}

const REPEAT = 5;

export async function dynamodbOpsBench(options: { largeBudgetExpenses?: number } = {}): Promise<Row[]> {
  const large = options.largeBudgetExpenses ?? Number(process.env.BENCH_EXPENSES ?? 500);
  const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `bench-ops-${Date.now().toString(36)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);

  const meter = new Meter();
  const { doc } = createDynamoClients({ region: 'us-east-1', endpoint });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!meter.on) return next(args);
      // The DocumentClient's commands reach this stack under the low-level names (GetItemCommand...).
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      meter.commands.push(name);
      if (DATA_OPERATIONS.test(name)) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      meter.add(name, (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity);
      return out;
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );

  const config = benchConfig(tableName, endpoint);
  // Budgets are created in June and the summary asked in November, so a rollover budget's
  // summary reads both the current period and everything before it.
  const clock = fixedClock('2026-06-01T09:00:00Z');
  const system = createSystem({ config, clock, doc });
  const request = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await system.app.request(path, {
      method,
      headers: {
        ...headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** Runs `op` REPEAT times with the meter on; reports the average per run. */
  const rows: Row[] = [];
  async function measure(operation: string, op: (i: number) => Promise<unknown>) {
    let commands = '';
    const sums = { requests: 0, read: 0, write: 0, total: 0 };
    for (let i = 0; i < REPEAT; i++) {
      meter.reset();
      meter.on = true;
      try {
        await op(i);
      } finally {
        meter.on = false;
      }
      sums.requests += meter.commands.length;
      sums.read += meter.read;
      sums.write += meter.write;
      sums.total += meter.total;
      if (i === 0) commands = tally(meter.commands);
    }
    rows.push({
      operation,
      requests: sums.requests / REPEAT,
      commands,
      readCapacity: round(sums.read / REPEAT),
      writeCapacity: round(sums.write / REPEAT),
      totalCapacity: round(sums.total / REPEAT),
    });
  }

  try {
    const signup = await request('POST', '/v1/auth/signup', undefined, {
      email: 'bench@example.com',
      password: 'correct horse battery staple',
    });
    let token: string = signup.tokens.accessToken;
    const newBudget = (name: string) =>
      request('POST', '/v1/budgets', token, {
        name,
        currency: 'USD',
        limit: 500_000,
        rollover: true,
        categories: [{ name: 'Groceries', limit: 60_000 }, { name: 'Transport' }],
      });

    const budgets: { id: string; categories: { id: string }[] }[] = [];
    await measure('create budget', async (i) => budgets.push(await newBudget(`Bench ${i}`)));
    clock.set('2026-11-24T12:00:00Z');
    token = await system.deps.tokens.sign({ userId: signup.user.id });
    const budget = budgets[0]!;
    const expensesPath = `/v1/budgets/${budget.id}/expenses`;
    const bodyFor = (b: { categories: { id: string }[] }) => (i: number) => ({
      amount: 1000 + i,
      // Spread over several months so the summary's rollover range has data too.
      occurredOn: `2026-${String(7 + (i % 5)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      categoryId: i % 3 === 0 ? null : b.categories[i % 2]!.id,
      merchant: 'Corner Market',
    });
    const body = bodyFor(budget);

    const created: { id: string }[] = [];
    // Keys as the app sends them: ULIDs (they name the expense: platform idFromKey).
    const keys: string[] = [];
    const keyOf = (i: number) => (keys[i] ??= newId(clock.now().getTime()));
    await measure('create expense (Idempotency-Key)', async (i) =>
      created.push(await request('POST', expensesPath, token, body(i), { 'idempotency-key': keyOf(i) })),
    );
    await measure('create expense (replayed key)', (i) => request('POST', expensesPath, token, body(i), { 'idempotency-key': keyOf(i) }));
    await measure('create expense (no key)', async (i) => created.push(await request('POST', expensesPath, token, body(100 + i))));
    await measure('get expense', (i) => request('GET', `${expensesPath}/${created[i]!.id}`, token));

    await seed(request, token, expensesPath, body, 60 - created.length);
    await measure('list page (limit 50)', () => request('GET', `${expensesPath}?limit=50`, token));
    await measure('list page (category, dates)', () =>
      request('GET', `${expensesPath}?limit=50&categoryId=${budget.categories[0]!.id}&from=2026-11-01&to=2026-11-30`, token),
    );
    await measure('change expense (move day + category)', (i) =>
      request('PATCH', `${expensesPath}/${created[i]!.id}`, token, { occurredOn: '2026-11-27', categoryId: budget.categories[1]!.id }, { 'if-match': '"1"' }),
    );
    await measure('delete expense', (i) => request('DELETE', `${expensesPath}/${created[REPEAT + i]!.id}`, token));

    // Summary: a small budget (10 expenses) against a large one; rollover on, so both the
    // current period and everything before it are read.
    const small = budgets[1]!;
    await seed(request, token, `/v1/budgets/${small.id}/expenses`, bodyFor(small), 10);
    const big = budgets[2]!;
    await seed(request, token, `/v1/budgets/${big.id}/expenses`, bodyFor(big), large);
    await measure('summary (10 expenses)', () => request('GET', `/v1/budgets/${small.id}/summary?date=2026-11-24`, token));
    await measure(`summary (${large} expenses)`, () => request('GET', `/v1/budgets/${big.id}/summary?date=2026-11-24`, token));
    return rows;
  } finally {
    await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    raw.destroy();
    doc.destroy();
    await local?.stop();
  }
}

/** Records `count` expenses through the API, 25 at a time (not measured). */
async function seed(
  request: (method: string, path: string, token?: string, body?: unknown) => Promise<unknown>,
  token: string,
  path: string,
  body: (i: number) => unknown,
  count: number,
) {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) => request('POST', path, token, body(1000 + i + j))),
    );
  }
}

export function formatRows(rows: Row[]): string {
  return formatTable(
    ['operation', 'requests', 'RCU', 'WCU', 'capacity', 'requests by command'],
    rows.map((r) => [r.operation, r.requests, r.readCapacity, r.writeCapacity, r.totalCapacity, r.commands]),
  );
}

/** For bench/run.ts: the table, and "summary requests do not grow with expenses" as a target. */
export const dynamodbOpsSuite: BenchSuite = {
  name: 'dynamodb-ops',
  async run(): Promise<SuiteReport> {
    const rows = await dynamodbOpsBench();
    const summaries = rows.filter((r) => r.operation.startsWith('summary'));
    const growth = summaries.length === 2 ? summaries[1]!.requests / summaries[0]!.requests : Number.NaN;
    return {
      title: 'DynamoDB requests and consumed capacity per operation (ReturnConsumedCapacity TOTAL, DynamoDB Local)',
      table: formatRows(rows),
      targets: [target(`summary requests, ${summaries[1]?.operation ?? 'large'} vs 10 expenses`, growth, 1)],
      notes: [
        'Averages over 5 runs of each operation; capacity units as DynamoDB reports them (strongly consistent reads; ' +
          'transactional writes count double; index writes included). A failed conditional write (the replayed ' +
          "key's lease) is billed by DynamoDB but not reported to the client, so it is missing here.",
      ],
      data: rows,
    };
  },
};

const tally = (names: string[]) =>
  Object.entries(names.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {}))
    .map(([n, c]) => `${n} ${c}`)
    .join(', ');
const round = (n: number) => Math.round(n * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await dynamodbOpsBench();
  console.log(formatRows(rows));
}
