import { describe, expect, it } from 'vitest';
import { commentRecipients } from './notify-comment';

const comment = (authorId: string, expenseCreatedBy: string, earlierCommenters: string[]) => ({
  budgetId: 'b', expenseId: 'e', commentId: 'c', text: 'hi', authorId, expenseCreatedBy, earlierCommenters,
});

describe('whom a comment notifies', () => {
  it('the expense creator and earlier commenters, once each, never the author', () => {
    expect(commentRecipients(comment('ann', 'bob', ['cid', 'ann', 'bob']), ['ann', 'bob', 'cid', 'dee'])).toEqual(['bob', 'cid']);
  });

  it('nobody when the author is the creator and the only commenter', () => {
    expect(commentRecipients(comment('bob', 'bob', ['bob']), ['bob', 'cid'])).toEqual([]);
  });

  it('only those still members of the budget (left, or a deleted account)', () => {
    expect(commentRecipients(comment('ann', 'bob', ['cid']), ['ann', 'cid'])).toEqual(['cid']);
  });
});
