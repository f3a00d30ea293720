import { createCursorCodec, ProblemError } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { CHANGE_SHARDS } from '../repository/change-log';
import { budgetFingerprint, changesTokenCodec } from './changes-token';

const codec = changesTokenCodec(createCursorCodec('a-test-secret-that-is-long-enough'));
const seqs = Array.from({ length: CHANGE_SHARDS }, (_, i) => i * 3);

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemError);
    const problem = err as ProblemError;
    expect(problem.status).toBe(400);
    return problem.extras.errors!.map((e) => e.path);
  }
  throw new Error('not refused');
}

describe('serverKnowledge tokens', () => {
  it('round-trip the per-shard numbers, the budget fingerprint and the first-sync position', () => {
    const state = { seqs, budgetHash: 'abc', snapshotAfter: '01JDEXPENSE0000000000000001' };
    const token = codec.encode(state, 'B1');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(token, 'B1')).toEqual(state);
    expect(codec.decode(codec.encode({ seqs, budgetHash: '' }, 'B1'), 'B1')).toEqual({ seqs, budgetHash: '' });
  });

  it('carry the income paging position, and read a token of before income was synced (no `i`) as paging through the income from the start', () => {
    const paging = { seqs, budgetHash: 'h', incomeAfter: '01JDINCOME00000000000000001' };
    expect(codec.decode(codec.encode(paging, 'B1'), 'B1')).toEqual(paging);
    expect(codec.decode(codec.encode({ seqs, budgetHash: 'h', incomeAfter: '' }, 'B1'), 'B1')).toEqual({ seqs, budgetHash: 'h', incomeAfter: '' });
    // Tokens as written before (no `i`): an incremental one pages through the income first; one mid-way through the expenses goes on with them.
    const cursors = createCursorCodec('a-test-secret-that-is-long-enough');
    const binding = JSON.stringify(['changes', 'B1']);
    expect(codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h' }, binding)!, 'B1')).toEqual({ seqs, budgetHash: 'h', incomeAfter: '' });
    expect(codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h', a: 'E9' }, binding)!, 'B1')).toEqual({ seqs, budgetHash: 'h', snapshotAfter: 'E9' });
    // With `i` and without `r`: an incremental token of before the definitions were synced, paged through them from the start.
    expect(codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h', i: 1 }, binding)!, 'B1')).toEqual({ seqs, budgetHash: 'h', definitionsAfter: '' });
    expect(codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h', i: 1, r: 1 }, binding)!, 'B1')).toEqual({ seqs, budgetHash: 'h' });
    expect(refusal(() => codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h', i: 2 }, binding)!, 'B1'))).toEqual(['query.since']);
  });

  it('are bound to their budget', () => {
    expect(refusal(() => codec.decode(codec.encode({ seqs, budgetHash: 'h' }, 'B1'), 'B2'))).toEqual(['query.since']);
  });

  it('refuse edits, other secrets, garbage and wrong shapes, naming query.since', () => {
    const token = codec.encode({ seqs, budgetHash: 'h' }, 'B1');
    // One bit flipped in the ciphertext, or in the authentication tag at the end.
    const flip = (at: number) => {
      const raw = Buffer.from(token, 'base64url');
      raw[at] = raw[at]! ^ 1;
      return raw.toString('base64url');
    };
    const other = changesTokenCodec(createCursorCodec('another-secret-that-is-long-enough'));
    for (const bad of [flip(20), flip(Buffer.from(token, 'base64url').length - 1), other.encode({ seqs, budgetHash: 'h' }, 'B1'), '', '.', 'x', 'a.b.c']) {
      expect(refusal(() => codec.decode(bad, 'B1'))).toEqual(['query.since']);
    }
    // Validly signed but not a token of this shape (e.g. a list cursor, or a different shard count).
    const cursors = createCursorCodec('a-test-secret-that-is-long-enough');
    const binding = JSON.stringify(['changes', 'B1']);
    for (const k of [{ v: 1, s: seqs.slice(1), h: 'h' }, { v: 1, s: seqs.map(() => -1), h: 'h' }, { v: 2, s: seqs, h: 'h' }, { v: 1, s: seqs, h: 'h', x: 1 }]) {
      expect(refusal(() => codec.decode(cursors.encode(k, binding)!, 'B1'))).toEqual(['query.since']);
    }
  });

  it('are issued once per state: the same state of the same budget gets the same token, which any codec of the key reads', () => {
    const state = { seqs, budgetHash: 'h' };
    const token = codec.encode(state, 'B1');
    expect(codec.encode({ seqs: [...seqs], budgetHash: 'h' }, 'B1')).toBe(token);
    expect(codec.encode({ seqs, budgetHash: 'h2' }, 'B1')).not.toBe(token);
    expect(codec.encode(state, 'B2')).not.toBe(token);
    // Another container (a codec that did not issue it) decrypts it; the issuer still checks the budget.
    const fresh = changesTokenCodec(createCursorCodec('a-test-secret-that-is-long-enough'));
    expect(fresh.decode(token, 'B1')).toEqual(state);
    expect(refusal(() => codec.decode(token, 'B2'))).toEqual(['query.since']);
    // What a caller does with a decoded state does not change what the token says.
    const decoded = codec.decode(token, 'B1');
    decoded.seqs[0] = 99;
    expect(codec.decode(token, 'B1')).toEqual(state);
  });

  it('fingerprint the budget as sent: any visible change (the role too) changes it', () => {
    const budget = { id: 'B1', name: 'Home', role: 'viewer', version: 1 };
    expect(budgetFingerprint(budget)).toBe(budgetFingerprint({ ...budget }));
    expect(budgetFingerprint({ ...budget, role: 'editor' })).not.toBe(budgetFingerprint(budget));
    expect(budgetFingerprint({ ...budget, version: 2 })).not.toBe(budgetFingerprint(budget));
  });
});

describe('serverKnowledge tokens and the recurring definitions', () => {
  it('say the client has the recurring definitions (`r: 1`) on every incremental token, and carry the definitions\' paging position (`d`)', () => {
    const cursors = createCursorCodec('a-test-secret-that-is-long-enough');
    const binding = JSON.stringify(['changes', 'B1']);
    expect(cursors.decode(codec.encode({ seqs, budgetHash: 'h' }, 'B1'), binding)).toEqual({ v: 1, s: seqs, h: 'h', i: 1, r: 1 });
    expect(cursors.decode(codec.encode({ seqs, budgetHash: 'h', definitionsAfter: 'eR1' }, 'B1'), binding)).toEqual({ v: 1, s: seqs, h: 'h', i: 1, d: 'eR1' });
    // A paging token carries no `r`: the client gets the definitions from the pages still ahead.
    expect(cursors.decode(codec.encode({ seqs, budgetHash: 'h', incomeAfter: 'I1' }, 'B1'), binding)).toEqual({ v: 1, s: seqs, h: 'h', n: 'I1' });
    for (const definitionsAfter of ['', 'e', 'eR1', 'i', 'iRI1']) {
      expect(codec.decode(codec.encode({ seqs, budgetHash: 'h', definitionsAfter }, 'B2'), 'B2')).toEqual({ seqs, budgetHash: 'h', definitionsAfter });
      // Decrypted too (not the codec's memory of what it issued).
      expect(changesTokenCodec(cursors).decode(codec.encode({ seqs, budgetHash: 'h', definitionsAfter }, 'B2'), 'B2')).toEqual({ seqs, budgetHash: 'h', definitionsAfter });
    }
    expect(refusal(() => codec.decode(cursors.encode({ v: 1, s: seqs, h: 'h', i: 1, r: 2 }, binding)!, 'B1'))).toEqual(['query.since']);
  });
});
