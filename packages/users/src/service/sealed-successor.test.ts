import { describe, expect, it } from 'vitest';
import { openPair, sealPair } from './sealed-successor';

describe('sealed successor pair', () => {
  const pair = { accessToken: 'eyJ.header.sig', refreshToken: 'next-refresh-token-0123456789' };

  it('opens with the spent token it was sealed with', () => {
    const sealed = sealPair('spent-token', pair);
    expect(sealed).not.toContain(pair.refreshToken);
    expect(openPair('spent-token', sealed)).toEqual(pair);
  });

  it('does not open with another token, or when altered', () => {
    const sealed = sealPair('spent-token', pair);
    expect(openPair('another-token', sealed)).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[20] = bytes[20]! ^ 1;
    expect(openPair('spent-token', bytes.toString('base64url'))).toBeNull();
    expect(openPair('spent-token', 'garbage')).toBeNull();
  });
});
