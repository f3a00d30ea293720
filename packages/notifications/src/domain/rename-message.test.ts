import { describe, expect, it } from 'vitest';
import type { MerchantRenameNotification } from '../model';
import { renamePush, renameText } from './rename-message';

const base: MerchantRenameNotification = {
  id: 'n1', userId: 'u1', kind: 'merchant-rename.finished', budgetId: 'b1', budgetName: 'Household', renameId: 'r1', from: ['AMZN MKTP US*2K4', 'Amazon.com'], to: 'Amazon',
  status: 'succeeded', examined: 1240, renamed: 1037, failure: null, message: '', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

describe("a merchant rename notification's text", () => {
  it('says how many expenses became the new name, grouped and in the singular when one', () => {
    expect(renameText(base)).toEqual({ title: 'Your merchant rename finished', body: 'Your rename to "Amazon" in Household finished: 1,037 expenses renamed.' });
    expect(renameText({ ...base, renamed: 1 }).body).toBe('Your rename to "Amazon" in Household finished: 1 expense renamed.');
  });

  it("says a failed rename's reason by its first clause, and leaves out a budget it cannot name", () => {
    const failure = "the rename stalled: nothing moved for 75 minutes (a page of the budget's expenses ended ...); expenses renamed before stay";
    expect(renameText({ ...base, status: 'failed', failure }).body).toBe('Your rename to "Amazon" in Household failed: the rename stalled: nothing moved for 75 minutes.');
    expect(renameText({ ...base, status: 'failed', budgetName: null, failure: 'the budget was deleted while renaming' }).body).toBe('Your rename to "Amazon" failed: the budget was deleted while renaming.');
    expect(renameText({ ...base, status: 'failed', failure: null }).body).toBe('Your rename to "Amazon" in Household failed: see the rename for details.');
  });

  it('pushes ids the app opens the rename with', () => {
    expect(renamePush(base, 'd1')).toMatchObject({ id: 'rename-n1-d1', data: { notificationId: 'n1', kind: 'merchant-rename.finished', budgetId: 'b1', renameId: 'r1', status: 'succeeded' } });
  });
});
