import { OperatorInputError } from '@budgeting/platform';

/**
 * Who runs an operator operation that changes data, and why: the rules of the users module's
 * operator operations (packages/users/src/service/operator-audit.ts, checkedRequest), with the
 * same limits and messages, so support meets one set of rules. (A module does not import
 * another's code, hence the copy of these few lines.)
 */

/** The longest reason and operator name accepted (as users' operator operations). */
export const MAX_REASON_LENGTH = 500;
export const MAX_OPERATOR_LENGTH = 200;

/**
 * The reason and operator trimmed; an OperatorInputError (the CLI's exit 2, nothing read or
 * changed) for a missing or too long one. `what`: the change, for the message ("this repair").
 */
export function checkedAuthor(args: { reason?: string; operator?: string }, what: string): { reason: string; operator: string } {
  const reason = (args.reason ?? '').trim();
  const operator = (args.operator ?? '').trim();
  if (reason.length === 0) throw new OperatorInputError(`--reason is required: the support ticket (or a short note) ${what} answers`);
  if (reason.length > MAX_REASON_LENGTH) throw new OperatorInputError(`--reason is at most ${MAX_REASON_LENGTH} characters`);
  if (operator.length === 0 || operator.length > MAX_OPERATOR_LENGTH) throw new OperatorInputError(`the operator's name is required, at most ${MAX_OPERATOR_LENGTH} characters`);
  return { reason, operator };
}
