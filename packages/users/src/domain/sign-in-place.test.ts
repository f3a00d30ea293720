import { describe, expect, it } from 'vitest';
import { deviceOf, devicePartsOf, englishDevice, LAST_SEEN_REFRESH_SECONDS, MAX_KNOWN_PLACES, networkOf, placeKey, placesWrite, planPlace, signInPlace } from './sign-in-place';

/** Real User-Agent strings, as the clients send them. */
const UA = {
  iosApp: 'Budgeting/3.2.1 (iPhone; iOS 17.4; Scale/3.00)',
  iosAppCfNetwork: 'Budgeting/412 CFNetwork/1494.0.7 Darwin/23.4.0',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  androidApp: 'okhttp/4.12.0',
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeWindowsNext: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.60 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxLinuxNext: 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
  curl: 'curl/8.5.0',
};

describe('deviceOf: app or browser family and OS, never a version', () => {
  it.each([
    [UA.iosApp, 'Budgeting on iOS'],
    [UA.iosAppCfNetwork, 'Budgeting on iOS'],
    [UA.androidChrome, 'Chrome on Android'],
    [UA.androidApp, 'okhttp'],
    [UA.chromeWindows, 'Chrome on Windows'],
    [UA.edgeWindows, 'Edge on Windows'],
    [UA.safariMac, 'Safari on macOS'],
    [UA.safariIphone, 'Safari on iOS'],
    [UA.firefoxLinux, 'Firefox on Linux'],
    [UA.curl, 'curl'],
  ])('%s -> %s', (ua, expected) => {
    expect(deviceOf(ua)).toBe(expected);
  });

  it('a browser update is the same device', () => {
    expect(deviceOf(UA.chromeWindowsNext)).toBe(deviceOf(UA.chromeWindows));
    expect(deviceOf(UA.firefoxLinuxNext)).toBe(deviceOf(UA.firefoxLinux));
  });

  it('no User-Agent, or one that names nothing, is an unknown device', () => {
    expect(deviceOf(undefined)).toBe('an unknown device');
    expect(deviceOf('   ')).toBe('an unknown device');
    expect(deviceOf('(((')).toBe('an unknown device');
  });

  it('reads no more than the first 512 characters', () => {
    expect(deviceOf(`${UA.curl} ${'x'.repeat(100_000)}`)).toBe('curl');
  });
});

describe('devicePartsOf: the family or its kind, and the OS', () => {
  const webView = 'Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36';
  it.each([
    [UA.chromeWindows, { family: 'Chrome', os: 'Windows' }, 'Chrome on Windows'],
    [UA.iosApp, { family: 'Budgeting', os: 'iOS' }, 'Budgeting on iOS'],
    [UA.curl, { family: 'curl' }, 'curl'],
    [webView, { kind: 'app', os: 'Android' }, 'an app on Android'],
    ['Mozilla/5.0 AppleWebKit/605.1.15 (KHTML, like Gecko)', { kind: 'app' }, 'an app'],
    ['Mozilla/5.0 (Linux; Android 14)', { kind: 'unknown', os: 'Android' }, 'an unknown app on Android'],
    [undefined, { kind: 'unknown' }, 'an unknown device'],
    ['(((', { kind: 'unknown' }, 'an unknown device'],
  ])('%s -> %o, in English %s', (ua, parts, english) => {
    expect(devicePartsOf(ua)).toEqual(parts);
    expect(englishDevice(devicePartsOf(ua))).toBe(english);
    expect(deviceOf(ua)).toBe(english);
  });
});

describe('networkOf: IPv4 /24, IPv6 /48', () => {
  it.each([
    ['203.0.113.7', '203.0.113.x'],
    ['203.0.113.250', '203.0.113.x'],
    ['::ffff:198.51.100.9', '198.51.100.x'],
    ['2001:db8:1:2::17', '2001:db8:1::/48'],
    ['2001:0DB8:0001:ffff:1:2:3:4', '2001:db8:1::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s -> %s', (address, expected) => {
    expect(networkOf(address)).toBe(expected);
  });

  it('no address, or not one: none', () => {
    expect(networkOf(undefined)).toBeNull();
    expect(networkOf('localhost')).toBeNull();
  });
});

describe('signInPlace', () => {
  const key = placeKey('a-test-signing-key-of-some-length');

  it('one hash for one device family and network, another for another network, device or account', () => {
    const home = signInPlace(key, 'U1', '203.0.113.7', UA.chromeWindows);
    expect(signInPlace(key, 'U1', '203.0.113.99', UA.chromeWindowsNext).hash).toBe(home.hash);
    expect(signInPlace(key, 'U1', '203.0.114.7', UA.chromeWindows).hash).not.toBe(home.hash);
    expect(signInPlace(key, 'U1', '203.0.113.7', UA.firefoxLinux).hash).not.toBe(home.hash);
    expect(signInPlace(key, 'U2', '203.0.113.7', UA.chromeWindows).hash).not.toBe(home.hash);
    expect(signInPlace(placeKey('another-signing-key'), 'U1', '203.0.113.7', UA.chromeWindows).hash).not.toBe(home.hash);
  });

  it('hashes exactly what it hashed before the device had parts (a change would make every known place new)', () => {
    // Literals computed on ec0cd79c, before devicePartsOf existed: the hash input must not move.
    const webView = 'Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36';
    expect(signInPlace(key, 'U1', '203.0.113.7', UA.chromeWindows)).toEqual({
      hash: 'hhnP7mZjfwKGCCri',
      device: 'Chrome on Windows',
      deviceParts: { family: 'Chrome', os: 'Windows' },
      network: '203.0.113.x',
    });
    expect(signInPlace(key, 'U1', '2001:db8:1:2::17', webView).hash).toBe('F_MlHMU6futgA4Cc');
    expect(signInPlace(key, 'U1', undefined, UA.curl).hash).toBe('qBxpu6xEW4gprbBD');
    expect(signInPlace(key, 'U1', '203.0.113.7', undefined).hash).toBe('N5VZq_hMS2ONWoCU');
    expect(signInPlace(key, 'U1', '203.0.113.7', 'Mozilla/5.0 (Linux; Android 14)').hash).toBe('8LSTwS1R4fSYZhrK');
  });

  it('the hash holds no part of the address; the readable forms are the masked network and the device', () => {
    const place = signInPlace(key, 'U1', '203.0.113.7', UA.safariMac);
    expect(place).toMatchObject({ device: 'Safari on macOS', network: '203.0.113.x' });
    expect(place.hash).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(place.hash).not.toContain('203');
    expect(signInPlace(key, 'U1', undefined, undefined).network).toBe('an unknown network');
  });
});

describe('planPlace', () => {
  const now = 2_000_000_000;

  it('a known place seen within the day writes nothing; a day later it refreshes its last-seen', () => {
    expect(planPlace({ a: now - 60 }, 'a', now)).toEqual({ isNew: false, next: null });
    expect(planPlace({ a: now - LAST_SEEN_REFRESH_SECONDS, b: now - 5 }, 'a', now)).toEqual({ isNew: false, next: { a: now, b: now - 5 } });
  });

  it('a new place is added', () => {
    expect(planPlace({ a: now - 60 }, 'b', now)).toEqual({ isNew: true, next: { b: now, a: now - 60 } });
    expect(planPlace(undefined, 'b', now)).toEqual({ isNew: true, next: { b: now } });
  });

  it(`the ${MAX_KNOWN_PLACES + 1}st place forgets the least recently seen`, () => {
    const known = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, now - 1000 + i]));
    const plan = planPlace(known, 'new', now);
    expect(plan.isNew).toBe(true);
    expect(Object.keys(plan.next!)).toHaveLength(20);
    expect(plan.next).not.toHaveProperty('p0');
    expect(plan.next).toHaveProperty('p1');
    expect(plan.next).toHaveProperty('new', now);
  });
});

describe('planPlace during a signing key rotation (previousHash)', () => {
  const now = 2_000_000_000;

  it('a place known only under the previous key is known: its entry moves to the current hash, seen now', () => {
    expect(planPlace({ old: now - 3600, b: now - 60 }, 'cur', now, 'old')).toEqual({ isNew: false, next: { cur: now, b: now - 60 } });
  });

  it('a place known under the current key is left as without a rotation (the previous hash is not looked at)', () => {
    expect(planPlace({ cur: now - 60, old: now - 120 }, 'cur', now, 'old')).toEqual({ isNew: false, next: null });
  });

  it('a place known under neither key is new', () => {
    expect(planPlace({ b: now - 60 }, 'cur', now, 'old')).toEqual({ isNew: true, next: { cur: now, b: now - 60 } });
  });

  it(`re-keying a full map keeps ${MAX_KNOWN_PLACES} places and forgets none`, () => {
    const known = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, now - 1000 + i]));
    const plan = planPlace(known, 'cur', now, 'p0');
    expect(plan.isNew).toBe(false);
    expect(Object.keys(plan.next!)).toHaveLength(20);
    expect(plan.next).not.toHaveProperty('p0');
    expect(plan.next).toHaveProperty('cur', now);
    for (let i = 1; i < 20; i++) expect(plan.next).toHaveProperty(`p${i}`, now - 1000 + i);
  });
});

describe('placesWrite: only what changed, by entry', () => {
  const now = 2_000_000_000;

  it('a new place sets its entry alone; the evicted one is removed', () => {
    expect(placesWrite({ a: now - 60 }, { a: now - 60, b: now })).toEqual({ set: { b: now }, remove: [] });
    expect(placesWrite({ a: now - 60, b: now - 30 }, { b: now - 30, c: now })).toEqual({ set: { c: now }, remove: ['a'] });
  });

  it('a refreshed last-seen sets that entry; a re-keyed place removes the previous hash and sets the current one', () => {
    expect(placesWrite({ a: now - 90_000, b: now - 5 }, { a: now, b: now - 5 })).toEqual({ set: { a: now }, remove: [] });
    expect(placesWrite({ old: now - 3600, b: now - 60 }, { cur: now, b: now - 60 })).toEqual({ set: { cur: now }, remove: ['old'] });
  });

  it('a profile without places gets the whole map (a path on a missing map cannot be set)', () => {
    expect(placesWrite(undefined, { b: now })).toEqual({ whole: { b: now } });
  });

  it('nothing changed: nothing to write', () => {
    expect(placesWrite({ a: now - 60 }, { a: now - 60 })).toBeNull();
  });

  it(`a map left at ${MAX_KNOWN_PLACES + 1} by two concurrent new places is capped back by the next day-old refresh`, () => {
    const known = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, now - 100_000 + i]));
    const plan = planPlace(known, 'p20', now);
    expect(Object.keys(plan.next!)).toHaveLength(20);
    expect(placesWrite(known, plan.next!)).toEqual({ set: { p20: now }, remove: ['p0'] });
  });
});
