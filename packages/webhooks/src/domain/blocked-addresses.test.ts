import { describe, expect, it } from 'vitest';
import { blockedAddressReason } from './blocked-addresses';

describe('blockedAddressReason', () => {
  it.each(['127.0.0.1', '127.1.2.3', '10.0.0.7', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '224.0.0.1', '255.255.255.255'])(
    'refuses %s',
    (address) => {
      expect(blockedAddressReason(address)).toMatch(/address/);
    },
  );

  // IPv6 forms that carry an IPv4 address (a translator or tunnel on the path may deliver to it),
  // written as the URL parser normalizes them, and the site-local and discard prefixes.
  it.each([
    ['IPv4-mapped, hex', '::ffff:7f00:1'],
    ['IPv4-compatible (deprecated ::/96) loopback', '::7f00:1'],
    ['IPv4-compatible metadata service', '::a9fe:a9fe'],
    ['IPv4-translated (SIIT ::ffff:0:0/96)', '::ffff:0:a00:1'],
    ['local-use NAT64 (64:ff9b:1::/48)', '64:ff9b:1::a00:1'],
    ['6to4 of a private address (2002::/16)', '2002:a00:1::1'],
    ['Teredo (2001::/32)', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['site-local (fec0::/10, deprecated)', 'fec0::1'],
    ['discard-only (100::/64)', '100::1'],
  ])('refuses %s: %s', (_what, address) => {
    expect(blockedAddressReason(address)).toMatch(/address/);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a05:d014::1', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});
