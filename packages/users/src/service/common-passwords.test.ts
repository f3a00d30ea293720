import { describe, expect, it } from 'vitest';
import { ProblemError } from '@budgeting/platform';
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
