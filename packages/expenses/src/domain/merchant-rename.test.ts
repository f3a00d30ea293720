import { describe, expect, it } from 'vitest';
import { rememberedSpellings, renameMatcher } from './merchant-rename';

describe('renameMatcher', () => {
  const matches = renameMatcher(['AMZN MKTP US*2K4', 'amazon.com', 'Café Nero'], 'Amazon');

  it('takes the from names ignoring case, accents and spacing', () => {
    expect(matches('AMZN MKTP US*2K4')).toBe(true);
    expect(matches('amzn  mktp us*2k4 ')).toBe(true);
    expect(matches('Amazon.com')).toBe(true);
    expect(matches('CAFE NERO')).toBe(true);
    expect(matches('cafe\u0301 nero')).toBe(true);
  });

  it('leaves other merchants, no merchant, and the target spelled exactly as it is', () => {
    expect(matches('Amazon Prime')).toBe(false);
    expect(matches('AMZN')).toBe(false);
    expect(matches(undefined)).toBe(false);
    expect(matches('Amazon')).toBe(false);
  });

  it('renames another spelling of the target itself (only the exact target is left alone)', () => {
    const respell = renameMatcher(['amazon'], 'Amazon');
    expect(respell('AMAZON')).toBe(true);
    expect(respell('Amazon')).toBe(false);
  });
});

describe('rememberedSpellings', () => {
  it('one per new spelling: duplicates by key, `to` itself and identically covered spellings left out', () => {
    const existing = [
      { merchant: { equals: 'amazon.com' }, renameTo: 'Amazon' },
      { merchant: { equals: 'AMZN' }, renameTo: 'Other' },
      { merchant: { contains: 'amzn mktp' }, renameTo: 'Amazon' },
    ];
    expect(rememberedSpellings(['AMZN MKTP US*2K4', 'Amazon.COM', 'amzn mktp us*2k4', 'Amazon', 'AMZN'], 'Amazon', existing)).toEqual(['AMZN MKTP US*2K4', 'AMZN']);
    expect(rememberedSpellings(['a'], 'b', [])).toEqual(['a']);
  });

  it('a rule with an amount or description condition renames only some of a spelling: it covers none', () => {
    const existing = [
      { merchant: { equals: 'PAYPAL' }, renameTo: 'Spotify', amount: { max: 1099 } },
      { merchant: { equals: 'PP' }, renameTo: 'Spotify', description: { contains: 'music' } },
      { merchant: { equals: 'PYPL' }, renameTo: 'Spotify' },
    ];
    expect(rememberedSpellings(['paypal', 'pp', 'pypl'], 'Spotify', existing)).toEqual(['paypal', 'pp']);
  });
});
