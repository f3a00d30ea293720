import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The pair a refresh handed out, sealed under a key derived from the refresh token it spent
 * (AES-256-GCM, HKDF-SHA-256). Stored on the spent token's item so that a repeat of the same
 * refresh within the grace window can get the same pair back, while the table never holds a
 * usable token: only someone who presents the spent token can open it.
 */
export interface SealedPair {
  accessToken: string;
  refreshToken: string;
}

const INFO = 'budgeting refresh grace v1';

function keyFrom(spentToken: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(spentToken, 'utf8'), Buffer.alloc(0), INFO, 32));
}

export function sealPair(spentToken: string, pair: SealedPair): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(spentToken), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The pair, or null when the seal was not made with this token (or was altered). */
export function openPair(spentToken: string, sealed: string): SealedPair | null {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(spentToken), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const text = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    const pair = JSON.parse(text) as SealedPair;
    return typeof pair.accessToken === 'string' && typeof pair.refreshToken === 'string' ? pair : null;
  } catch {
    return null;
  }
}
