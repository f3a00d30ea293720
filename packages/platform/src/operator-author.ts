import { OperatorInputError } from './module-definition';

/**
 * Who runs an operator operation that changes data, and why (the support ticket): every module's
 * data-changing operations (users' suspend, unsuspend and two-factor reset; expenses' totals
 * repair) take them by these rules and store them in that change's audit record, so support
 * meets one set of rules and messages whichever module the operation belongs to.
 */

/** The longest reason and operator name accepted (the users module's event schemas say the same). */
export const MAX_OPERATOR_REASON_LENGTH = 500;
export const MAX_OPERATOR_NAME_LENGTH = 200;

/**
 * The reason and operator trimmed; an OperatorInputError (the CLI's exit 2, nothing read or
 * changed) for a missing or too long one. `what`: the change, for the message ("this repair").
 */
export function checkedAuthor(args: { reason?: string; operator?: string }, what: string): { reason: string; operator: string } {
  const reason = (args.reason ?? '').trim();
  const operator = (args.operator ?? '').trim();
  if (reason.length === 0) throw new OperatorInputError(`--reason is required: the support ticket (or a short note) ${what} answers`);
  if (reason.length > MAX_OPERATOR_REASON_LENGTH) throw new OperatorInputError(`--reason is at most ${MAX_OPERATOR_REASON_LENGTH} characters`);
  if (operator.length === 0 || operator.length > MAX_OPERATOR_NAME_LENGTH) throw new OperatorInputError(`the operator's name is required, at most ${MAX_OPERATOR_NAME_LENGTH} characters`);
  return { reason, operator };
}
