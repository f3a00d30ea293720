import { isIPv4, isIPv6 } from 'node:net';

/**
 * A client address as one of its two kinds, for grouping by network: its zone dropped
 * (`fe80::1%eth0`) and an IPv4-mapped IPv6 address read as the IPv4 one (`::ffff:203.0.113.9`),
 * an IPv6 address as its eight 16-bit groups (lower-case hex without leading zeros); null when
 * it is neither. Used by the sign-in throttle's buckets (client-bucket.ts) and the sign-in
 * places (sign-in-place.ts), which then group at their own prefix lengths.
 */
export type ParsedAddress = { v4: string } | { v6: string[] };

export function parseAddress(address: string | undefined): ParsedAddress | null {
  if (!address) return null;
  const unzoned = address.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned);
  if (mapped && isIPv4(mapped[1]!)) return { v4: mapped[1]! };
  if (isIPv4(unzoned)) return { v4: unzoned };
  if (isIPv6(unzoned)) return { v6: ipv6Groups(unzoned) };
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // A dotted IPv4 tail (::1.2.3.4) stands for two groups; it is kept as written (only the leading groups are used).
  const missing = 8 - left.length - right.length - right.filter((g) => g.includes('.')).length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return groups.map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}
