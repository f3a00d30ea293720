import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
