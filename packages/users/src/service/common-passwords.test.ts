import { describe, expect, it } from 'vitest';
import { loadOnce, ProblemError } from '@budgeting/platform';
import { loadCommonPasswords, PasswordPolicy } from './common-passwords';

describe('the common-password list', () => {
  it('is the package list, lower case, loaded once as a Set', async () => {
    const list = await loadCommonPasswords();
    expect(list).toBe(await loadCommonPasswords());
    expect(list.size).toBeGreaterThan(40_000);
    for (const word of ['password123', 'qwertyuiop', '1q2w3e4r5t', 'iloveyou']) expect(list.has(word)).toBe(true);
    expect([...list].filter((word) => word !== word.toLowerCase())).toEqual([]);
  });
});

describe('PasswordPolicy.check', () => {
  const policy = new PasswordPolicy();

  it('throws 400 naming the given field with the reason and without the password', async () => {
    const refused = await policy.check('Password123', 'ada@example.com', 'newPassword').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ProblemError);
    const problem = refused as ProblemError;
    expect(problem.status).toBe(400);
    expect(JSON.stringify(problem.toBody())).not.toMatch(/password123/i);
    expect(problem.toBody()).toMatchObject({ errors: [{ path: 'newPassword', message: expect.stringMatching(/common/i) }] });
  });

  it('lets a strong password through', async () => {
    await expect(policy.check('9f1c2e7a-0b44-4c1e-8d2b-3f5a6b7c8d9e', 'ada@example.com', 'password')).resolves.toBeUndefined();
  });
});

describe('the list loaded on first use (review 52)', () => {
  it('two first checks at once load it once; a failed load fails the check (no password let through) and the next check loads again', async () => {
    let loads = 0;
    let fail = true;
    const policy = new PasswordPolicy(
      loadOnce(async () => {
        loads += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) throw new Error('chunk missing');
        return new Set(['password123']);
      }),
    );
    const first = await Promise.allSettled([policy.check('password123', 'ada@example.com', 'password'), policy.check('a fine passphrase', 'ada@example.com', 'password')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(first.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : ''))).toEqual(['chunk missing', 'chunk missing']);
    expect(loads).toBe(1);
    fail = false;
    const second = await Promise.allSettled([policy.check('password123', 'ada@example.com', 'password'), policy.check('a fine passphrase', 'ada@example.com', 'password')]);
    expect(second.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect((second[0] as PromiseRejectedResult).reason).toBeInstanceOf(ProblemError);
    expect(loads).toBe(2);
  });
});
