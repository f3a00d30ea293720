import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem } from './helpers';

/**
 * Guessing personal access tokens, on DynamoDB Local with every command counted: a made-up
 * token of the right shape costs at most one GetItem per process per minute however often it
 * is repeated, a near shape costs none, and a revoke still counts on the very next request
 * (only refusals are remembered, never a grant).
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'pat-guess');
});
afterAll(() => t.destroy());

const makeToken = async () => {
  const res = await as(t.app, owner)('POST', '/v1/me/tokens', { body: { name: 'Script', scope: 'write' } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; token: string };
};

/** `times` requests with `token`, each a 401; the DynamoDB commands they sent. */
async function refusedTimes(token: string, times: number): Promise<string[]> {
  const { commands } = await commandsSentDuring(t.doc, async () => {
    for (let i = 0; i < times; i++) {
      const res = await call(t.app, 'GET', '/v1/budgets', { token });
      expectProblem(res, 401);
    }
  });
  return commands;
}

/** A well-formed secret nobody issued (43 base64url characters ending in one 32 bytes can end in). */
const madeUpSecret = (fill: string) => `${fill.repeat(42)}A`;

describe('refusing made-up personal access tokens cheaply', () => {
  it('50 requests with one made-up token cost one GetItem; another minute, one more', async () => {
    const token = `bgt_${owner.id}_01JDQ7T0K3N5P7R9S1V3X5Z7B9_${madeUpSecret('q')}`;
    expect(await refusedTimes(token, 50)).toEqual(['GetItemCommand']);
    clock.advance(30_000);
    expect(await refusedTimes(token, 5)).toEqual([]);
    clock.advance(31_000); // past the minute: it is read again, once
    expect(await refusedTimes(token, 5)).toEqual(['GetItemCommand']);
  });

  it('a wrong secret of a real token id: one GetItem for 50 tries, and the real token still works', async () => {
    const real = await makeToken();
    const guess = `bgt_${owner.id}_${real.id}_${madeUpSecret('w')}`;
    expect(await refusedTimes(guess, 50)).toEqual(['GetItemCommand']);
    const res = await call(t.app, 'GET', '/v1/budgets', { token: real.token });
    expect(res.status, res.text).toBe(200);
    // Another guess at the same id is another exact text: read once more, not taken from the first.
    expect(await refusedTimes(`bgt_${owner.id}_${real.id}_${madeUpSecret('x')}`, 3)).toEqual(['GetItemCommand']);
  });

  it('a malformed secret, or ids no ULID can be, cost no read at all', async () => {
    const real = await makeToken();
    const secret = real.token.slice(-43);
    for (const bad of [
      `bgt_${owner.id}_${real.id}_${secret.slice(1)}`, // 42 characters
      `bgt_${owner.id}_${real.id}_${secret.slice(0, -1)}B`, // a last character 32 bytes never end in
      `bgt_${owner.id}_${real.id}_${secret.slice(0, -1)}.`, // not base64url
      `bgt_${owner.id}_${real.id}_${secret}=`, // padded
      `bgt_9${owner.id.slice(1)}_${real.id}_${secret}`, // a ULID starts with 0..7
    ]) {
      expect(await refusedTimes(bad, 3), bad).toEqual([]);
    }
  });

  it('a real token revoked in this process is refused on the next request (grants are never remembered)', async () => {
    const real = await makeToken();
    for (let i = 0; i < 3; i++) expect((await call(t.app, 'GET', '/v1/budgets', { token: real.token })).status).toBe(200);
    const revoked = await as(t.app, owner)('DELETE', `/v1/me/tokens/${real.id}`);
    expect(revoked.status, revoked.text).toBe(204);
    const res = await call(t.app, 'GET', '/v1/budgets', { token: real.token });
    expectProblem(res, 401);
    expect(res.json.detail).toBe('The personal access token is invalid or was revoked.');
    // From then on the revoked id is itself a remembered refusal.
    expect(await refusedTimes(real.token, 10)).toEqual([]);
  });
});
