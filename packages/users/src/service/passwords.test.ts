import { describe, expect, it } from 'vitest';
import { PasswordHasher, PRODUCTION_SCRYPT } from './passwords';

// Cheap parameters for the behaviour tests; one test below runs the production ones.
const cheap = new PasswordHasher({ logN: 4, r: 8, p: 1 });

/** Counts burn(): a verify that refuses a stored hash as malformed burns instead of deriving with its parameters. */
class BurnCounting extends PasswordHasher {
  burns = 0;
  override async burn(password: string): Promise<false> {
    this.burns++;
    return super.burn(password);
  }
}

describe('PasswordHasher', () => {
  it('produces a self-describing hash with a fresh salt each time', async () => {
    const a = await cheap.hash('correct horse battery staple');
    const b = await cheap.hash('correct horse battery staple');
    expect(a).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await cheap.hash('correct horse battery staple');
    expect(await cheap.verify('correct horse battery staple', stored)).toBe(true);
    expect(await cheap.verify('correct horse battery stapl', stored)).toBe(false);
    expect(await cheap.verify('Correct horse battery staple', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current ones', async () => {
    const stored = await cheap.hash('old parameters 123');
    const stronger = new PasswordHasher({ logN: 5, r: 8, p: 2 });
    expect(await stronger.verify('old parameters 123', stored)).toBe(true);
    expect(stronger.needsRehash(stored)).toBe(true);
    expect(cheap.needsRehash(stored)).toBe(false);
  });

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const stored = await cheap.hash('caf\u00e9 au lait 42');
    expect(await cheap.verify('cafe\u0301 au lait 42', stored)).toBe(true);
  });

  it.each(['', 'plain', '$scrypt$ln=99,r=8,p=1$AAAA$BBBB', '$bcrypt$10$abc', '$scrypt$ln=4,r=8,p=1$!!$??'])(
    'refuses (never throws on) a malformed stored hash %j',
    async (stored) => {
      expect(await cheap.verify('whatever password', stored)).toBe(false);
      expect(cheap.needsRehash(stored)).toBe(true);
    },
  );

  it.each([
    ['memory: N=2^20, r=99 (about 13 GB)', '$scrypt$ln=20,r=99,p=1$AAAA$BBBB'],
    ['work: N=2^16, r=8, p=64 (over 40 times the production cost)', '$scrypt$ln=16,r=8,p=64$AAAA$BBBB'],
  ])('refuses (never throws on, never derives with) stored parameters past the bounds, %s', async (_label, stored) => {
    const counting = new BurnCounting({ logN: 4, r: 8, p: 1 });
    expect(await counting.verify('whatever password', stored)).toBe(false);
    expect(counting.needsRehash(stored)).toBe(true);
    // Refused as malformed: the cheap hasher's burn() ran instead of a derivation with these parameters.
    expect(counting.burns).toBe(1);
  });

  it('burn() spends a derivation and always answers false', async () => {
    expect(await cheap.burn('anything at all')).toBe(false);
  });

  it('uses production-grade parameters by default (OWASP: N=2^15, r=8, p=3)', async () => {
    expect(PRODUCTION_SCRYPT).toEqual({ logN: 15, r: 8, p: 3 });
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('production password');
    expect(stored.startsWith('$scrypt$ln=15,r=8,p=3$')).toBe(true);
    expect(await hasher.verify('production password', stored)).toBe(true);
  });
});
