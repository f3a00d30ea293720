import { isIPv4, isIPv6 } from 'node:net';

/**
 * The bucket a sign-in attempt is counted in for its client: the IPv4 address, or the /64
 * network of an IPv6 address (one subscriber usually holds a whole /64, so counting single
 * IPv6 addresses would let one client rotate past the limit). Requests without a known
 * address share one bucket, which is the email-wide behaviour.
 */
export function clientBucket(address: string | undefined): string {
  if (!address) return 'unknown';
  const unzoned = address.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(unzoned)) return unzoned;
  if (isIPv6(unzoned)) return `${ipv6Groups(unzoned).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // A dotted IPv4 tail (::1.2.3.4) stands for two groups; only the first four matter here.
  const missing = 8 - left.length - right.length - right.filter((g) => g.includes('.')).length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return groups.map((g) => (g.includes('.') ? g : String(parseInt(g, 16).toString(16))));
}
