/**
 * The conditions the budgets module's checks put on a membership or budget item, written once so
 * that every check asking "may this member still write here" asks exactly the same thing
 * (BudgetsFacade.writeChecks, settle-up's recorder, activeMemberCheck, the invitations' budget check).
 * Every membership carries the budget's `archivedAt` while it is archived (archive.repository.ts), so
 * a check of the caller's own membership also meets an archive racing the write.
 */

/** A writing role (owner or editor) on a membership of a budget that is not archived. */
export const WRITING_MEMBER = {
  ConditionExpression: '#role IN (:owner, :editor) AND attribute_not_exists(#archivedAt)',
  ExpressionAttributeNames: { '#role': 'role', '#archivedAt': 'archivedAt' },
  ExpressionAttributeValues: { ':owner': 'owner', ':editor': 'editor' },
} as const;

/** The item (a membership, or the budget itself) is there and carries no `archivedAt`. */
export const PRESENT_NOT_ARCHIVED = {
  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#archivedAt)',
  ExpressionAttributeNames: { '#archivedAt': 'archivedAt' },
} as const;
