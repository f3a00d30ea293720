import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may never be sent in AWS (SSRF): addresses that reach the function's own
 * host, its VPC or the cloud's metadata service instead of the public internet. One list,
 * used at registration and again for every address a delivery connects to.
 */
// Built on first use, not at start: this module is imported by every cold start (issue 11).
let blockedList: BlockList | undefined;
function blocked(): BlockList {
  if (blockedList) return blockedList;
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local, the instance metadata service (169.254.169.254)
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    // The forms below carry an IPv4 address (::7f00:1 is 127.0.0.1 "IPv4-compatible"): a
    // translator or tunnel on the path may deliver them to it, so none of them is a public target.
    ['::', 96], // IPv4-compatible (deprecated, RFC 4291)
    ['::ffff:0:0:0', 96], // IPv4-translated (SIIT, RFC 2765)
    ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
    ['2002::', 16], // 6to4
    ['2001::', 32], // Teredo
    ['fec0::', 10], // site-local (deprecated, still private where used)
    ['100::', 64], // discard-only
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
    ['64:ff9b::', 96], // NAT64 (reaches IPv4 addresses)
  ] as const) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return (blockedList = list);
}

/** Why an address is refused, or undefined when it is a public unicast address. */
export function blockedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) reaches the IPv4 address it carries.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return blockedAddressReason(mapped);
  if (blocked().check(address, family === 4 ? 'ipv4' : 'ipv6')) {
    return `${address} is a loopback, private, link-local or reserved address`;
  }
  return undefined;
}
