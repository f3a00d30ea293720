import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { zodToFieldErrors } from './validation';

describe('zodToFieldErrors', () => {
  it('names a field once for one message: a value failing two checks that say the same (1e300: not a safe integer, and past the maximum) is one error', () => {
    const message = 'Must be an integer from 0 to 100';
    const schema = z.object({ share: z.number().int({ error: message }).min(0, { error: message }).max(100, { error: message }) });
    const parsed = schema.safeParse({ share: 1e300 });
    expect(parsed.success).toBe(false);
    expect(zodToFieldErrors(parsed.error!)).toEqual([{ path: 'share', message }]);
  });

  it('keeps different messages of one field, and one unknown key per name', () => {
    const schema = z.strictObject({ code: z.string().min(3, { error: 'Must be at least 3 characters' }).regex(/^x/, { error: 'Must start with x' }) });
    const parsed = schema.safeParse({ code: 'y', extra: 1 });
    expect(parsed.success).toBe(false);
    expect(zodToFieldErrors(parsed.error!, 'json')).toEqual([
      { path: 'code', message: 'Must be at least 3 characters' },
      { path: 'code', message: 'Must start with x' },
      { path: 'extra', message: 'Unknown field' },
    ]);
  });
});
