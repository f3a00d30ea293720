import { describe, expect, it } from 'vitest';
import { blockedAddressReason } from './blocked-addresses';

describe('blockedAddressReason', () => {
  it.each(['127.0.0.1', '127.1.2.3', '10.0.0.7', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '224.0.0.1', '255.255.255.255'])(
    'refuses %s',
    (address) => {
      expect(blockedAddressReason(address)).toMatch(/address/);
    },
  );

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});
