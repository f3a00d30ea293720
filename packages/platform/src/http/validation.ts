import type { ZodError } from 'zod';
import { problems, type FieldError } from './problem';

/**
 * Turns zod issues into the `errors: [{path, message}]` of a problem+json 400. Unknown keys
 * become one error each, named, so a client sees exactly which field was not expected.
 */
export function zodToFieldErrors(error: ZodError, target?: string): FieldError[] {
  const prefix = target && target !== 'json' ? `${target}.` : '';
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: prefix + (base ? `${base}.${key}` : key), message: 'Unknown field' });
      }
      continue;
    }
    const path = prefix + base;
    // A root-level issue of the JSON body is about "body" (not the validator's target name "json").
    out.push({ path: path || (prefix ? target! : 'body'), message: issue.message });
  }
  return out;
}

export function validationProblem(error: ZodError, target?: string) {
  return problems.validation(zodToFieldErrors(error, target));
}
