import type { ZodError } from 'zod';
import { MAX_FIELD_ERRORS, problems, type FieldError } from './problem';

/**
 * Turns zod issues into the `errors: [{path, message}]` of a problem+json 400. Unknown keys
 * become one error each, named, so a client sees exactly which field was not expected. A field
 * is named once per message: checks that share one text (a range's "from 0 to 100" on `int`,
 * `min` and `max`) can fail together (1e300 is no safe integer and past the maximum).
 */
export function zodToFieldErrors(error: ZodError, target?: string): FieldError[] {
  const prefix = target && target !== 'json' ? `${target}.` : '';
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const push = (field: FieldError) => {
    // One past what a problem lists is enough for it to say there are more (problem.ts MAX_FIELD_ERRORS).
    if (out.length > MAX_FIELD_ERRORS) return;
    const key = `${field.path}\u0000${field.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(field);
  };
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        push({ path: prefix + (base ? `${base}.${key}` : key), message: 'Unknown field' });
      }
      continue;
    }
    const path = prefix + base;
    // A root-level issue of the JSON body is about "body" (not the validator's target name "json").
    push({ path: path || (prefix ? target! : 'body'), message: issue.message });
  }
  return out;
}

export function validationProblem(error: ZodError, target?: string) {
  return problems.validation(zodToFieldErrors(error, target));
}
