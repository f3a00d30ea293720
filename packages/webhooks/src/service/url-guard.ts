import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { problems } from '@budgeting/platform';
import type { UrlPolicy } from '../contract';
import { blockedAddressReason } from '../domain/blocked-addresses';

/**
 * The SSRF guard at registration (and PATCH of `url`): in AWS (`public-https`) the URL must be
 * https and EVERY address its host resolves to public; a literal IP is checked as is. A refusal
 * is a 400 naming `url`. Resolving again at delivery time (http-poster.ts checks each address it
 * connects to) closes the gap of a name that resolves elsewhere later (DNS rebinding).
 * `local` (npm start) allows http and loopback so a receiver on the laptop can be tried.
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy, resolve: typeof lookup = lookup): Promise<URL> {
  const refuse = (message: string) => problems.validation([{ path: 'url', message }], `The webhook URL is refused: ${message}.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a valid absolute URL');
  }
  if (url.username || url.password) throw refuse('must not contain credentials');
  if (policy.mode === 'local') {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('must be http or https');
    return url;
  }
  if (url.protocol !== 'https:') throw refuse('must use https');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await resolveAll(host, resolve);
  if (addresses.length === 0) throw refuse(`${host} does not resolve`);
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) throw refuse(`${host} resolves to ${reason}`);
  }
  return url;
}

async function resolveAll(host: string, resolve: typeof lookup): Promise<string[]> {
  try {
    return (await resolve(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return [];
  }
}
