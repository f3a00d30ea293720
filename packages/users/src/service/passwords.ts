import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto, no native add-on). The hash is self-describing,
 * "$scrypt$ln=15,r=8,p=3$<salt>$<key>", so parameters can be raised later without breaking
 * stored hashes: verification always uses the parameters stored with the hash.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

/**
 * OWASP's equivalent of N=2^17,r=8,p=1 at a quarter of the memory (32 MiB instead of 128 MiB),
 * which matters on a Lambda serving concurrent sign-ins: N=2^15, r=8, p=3.
 */
export const PRODUCTION_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 3 };

/**
 * The most a stored hash may make one verification spend: 256 MiB of memory (twice OWASP's
 * largest, N=2^17 r=8) and N·r·p of 2^22 (4 times that configuration's work, over 5 times
 * today's), room to raise the parameters later. Past them a hash counts as malformed.
 */
const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_SCRYPT_WORK = 2 ** 22;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export class PasswordHasher {
  constructor(private readonly params: ScryptParams = PRODUCTION_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.params);
    const { logN, r, p } = this.params;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Constant-time comparison; a malformed stored hash simply does not match. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) {
      await this.burn(password);
      return false;
    }
    const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  /**
   * Spends the same work as a verification without any stored hash: a sign-in for an unknown
   * email must take as long as one with a wrong password, or response times reveal accounts.
   */
  async burn(password: string): Promise<false> {
    await derive(password, randomBytes(SALT_LENGTH), this.params);
    return false;
  }

  /** True when the hash was made with other parameters than the current ones. */
  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    if (!parsed) return true;
    const { logN, r, p } = parsed.params;
    return logN !== this.params.logN || r !== this.params.r || p !== this.params.p;
  }
}

function parse(stored: string) {
  const match = FORMAT.exec(stored);
  if (!match) return null;
  const [, logN, r, p, salt, key] = match;
  const params = { logN: Number(logN), r: Number(r), p: Number(p) };
  // Refuse absurd parameters rather than let a corrupt item pin the CPU or exhaust memory: the
  // bounds are on what scrypt spends (memory 128·N·r, work N·r·p), not on logN alone, since r
  // and p (up to 99 here) multiply both.
  if (params.logN < 1 || params.logN > 20 || params.r < 1 || params.p < 1) return null;
  const N = 2 ** params.logN;
  if (128 * N * params.r > MAX_SCRYPT_MEMORY_BYTES || N * params.r * params.p > MAX_SCRYPT_WORK) return null;
  return { params, salt: Buffer.from(salt!, 'base64url'), key: Buffer.from(key!, 'base64url') };
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength = KEY_LENGTH): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs about 128 * N * r bytes; Node's 32 MiB default is exactly too small for N=2^15, r=8.
    maxmem: 256 * N * params.r,
  };
  // NFKC so the same password typed on different keyboards/OSes (composed vs decomposed
  // accents) hashes the same, as NIST SP 800-63B recommends.
  const normalized = password.normalize('NFKC');
  return new Promise((resolve, reject) =>
    scrypt(normalized, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}
