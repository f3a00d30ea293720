import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { COLD_START_ENV, COLD_SUMMARY_TIMEZONE, coldSummaryPath } from './cold-start';
import { BENCH_SIGNING_KEY, seedOwnerAndBudget, type MeteredSystem } from './metered-system';

/**
 * What the cold-summary tools (ab-cold-summary.ts, profile-cold-summary.ts) probe: an owner
 * with a budget holding one expense (the summary's request), the baseline's `hello` item, and
 * the environment a fresh bundle process needs to reach this system's table.
 */
export async function seedColdSummary(s: MeteredSystem) {
  const { budgetId, token } = await seedOwnerAndBudget(s, undefined, { timezone: COLD_SUMMARY_TIMEZONE });
  await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 1234, occurredOn: '2026-11-03' });
  await s.doc.send(new PutCommand({ TableName: s.tableName, Item: { pk: 'hello', sk: 'hello' } }));
  const env = { ...COLD_START_ENV, TABLE_NAME: s.tableName, DYNAMODB_ENDPOINT: s.endpoint, AWS_ENDPOINT_URL_DYNAMODB: s.endpoint, TOKEN_SIGNING_KEY: BENCH_SIGNING_KEY };
  return { env, token, summaryPath: coldSummaryPath(budgetId) };
}

/**
 * DynamoDB Local is a JVM: the first few hundred requests of a kind run interpreted, so a probe
 * early in a run paid 6-9 ms more per BatchGetItem and Query than one later (the summary's
 * three requests against the baseline's one GetItem: the app's ratio read 0.1x higher; DynamoDB
 * itself has no such warm-up). `rounds` summaries and GetItems in this process first, so both
 * sides' requests meet a compiled DynamoDB Local. BENCH_COLD_WARM_ROUNDS overrides (0: none).
 */
export async function warmDynamoDbLocal(s: MeteredSystem, summaryPath: string, token: string, rounds = Number(process.env.BENCH_COLD_WARM_ROUNDS ?? 300)): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const summary = await s.request('GET', summaryPath, token);
    if (summary.status !== 200) throw new Error(`warm-up summary answered ${summary.status}`);
    await s.doc.send(new GetCommand({ TableName: s.tableName, Key: { pk: 'hello', sk: 'hello' } }));
  }
}
