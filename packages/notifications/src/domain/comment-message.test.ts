import { describe, expect, it } from 'vitest';
import type { ExpenseCommentNotification } from '../model';
import { commentPush } from './comment-message';

const base: ExpenseCommentNotification = {
  id: 'n1', userId: 'u1', kind: 'expense.comment', budgetId: 'b1', expenseId: 'e1', commentId: 'c1', authorId: 'u2',
  excerpt: 'Was that the birthday present?', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

describe("a comment's push", () => {
  it('is titled as before without a locale, the excerpt as its body, with the ids the app opens the comments with', () => {
    expect(commentPush(base, 'd1')).toEqual({
      id: 'comment-n1-d1',
      title: 'New comment on an expense',
      body: 'Was that the birthday present?',
      data: { notificationId: 'n1', kind: 'expense.comment', budgetId: 'b1', expenseId: 'e1', commentId: 'c1' },
    });
    expect(commentPush(base, 'd1', null).title).toBe('New comment on an expense');
    expect(commentPush(base, 'd1', 'ja-JP').title).toBe('New comment on an expense');
  });

  it("is titled in the recipient's language; the excerpt is the author's own words, untouched", () => {
    expect(commentPush(base, 'd1', 'de-DE')).toMatchObject({ title: 'Neuer Kommentar zu einer Ausgabe', body: 'Was that the birthday present?' });
    expect(commentPush(base, 'd1', 'fr-FR')).toMatchObject({ title: 'Nouveau commentaire sur une dépense', body: 'Was that the birthday present?' });
    expect(commentPush(base, 'd1', 'es-MX')).toMatchObject({ title: 'Nuevo comentario en un gasto', body: 'Was that the birthday present?' });
  });
});
