import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { withCommandMiddleware } from './command-middleware';

type Call = (method: string, path: string) => Promise<{ status: number }>;

/**
 * Runs `work` (an add or accept of `userId` as a member of `budgetId`) with its transaction
 * meeting the budget archived: `owner` archives it just before that transaction is sent and
 * unarchives it right after, before the write reads why it failed. Checks the flicker happened.
 */
export async function withArchiveFlicker<T>(doc: DynamoDBDocumentClient, owner: Call, budgetId: string, userId: string, work: () => Promise<T>): Promise<T> {
  let held = false;
  const answer = await withCommandMiddleware(
    doc,
    'archiveFlicker',
    (next, context) => async (args) => {
      if (held || context.commandName !== 'TransactWriteItemsCommand' || !JSON.stringify(args.input).includes(`budgets#member#${userId}`)) return next(args);
      held = true;
      expect((await owner('POST', `/v1/budgets/${budgetId}/archive`)).status).toBe(200);
      try {
        return await next(args);
      } finally {
        expect((await owner('POST', `/v1/budgets/${budgetId}/unarchive`)).status).toBe(200);
      }
    },
    work,
  );
  expect(held).toBe(true);
  return answer;
}
