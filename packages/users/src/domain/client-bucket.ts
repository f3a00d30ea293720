import { parseAddress } from './ip-address';

/**
 * The bucket a sign-in attempt is counted in for its client: the IPv4 address, or the /64
 * network of an IPv6 address (one subscriber usually holds a whole /64, so counting single
 * IPv6 addresses would let one client rotate past the limit). Requests without a known
 * address share one bucket, which is the email-wide behaviour.
 */
/** The bucket of requests without a usable address (in-process ones): not an address, so kept as it is in keys. */
export const UNKNOWN_BUCKET = 'unknown';

export function clientBucket(address: string | undefined): string {
  const parsed = parseAddress(address);
  if (!parsed) return UNKNOWN_BUCKET;
  return 'v4' in parsed ? parsed.v4 : `${parsed.v6.slice(0, 4).join(':')}::/64`;
}
