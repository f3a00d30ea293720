import { createHmac, hkdfSync } from 'node:crypto';
import { parseAddress } from './ip-address';

/**
 * Where a sign-in comes from, coarsely enough that the same person on the same device and
 * network is recognised again, and nothing more: the User-Agent reduced to its app or browser
 * family and OS without any version (a browser update must not look like a new device), and
 * the network (IPv4 /24, IPv6 /48: a home or office line, across the address changes a
 * provider makes inside it). Only a keyed hash of the two is stored (the profile's
 * `knownPlaces`); the readable forms go into the alert event and its mail, never to the table
 * as a place.
 */

/** How many places an account remembers; the least recently seen is forgotten first. */
export const MAX_KNOWN_PLACES = 20;
/** A known place's last-seen is written again only when older than this: most sign-ins change nothing. */
export const LAST_SEEN_REFRESH_SECONDS = 24 * 60 * 60;

/** The stored form: place hash -> last seen (epoch seconds). */
export type KnownPlaces = Record<string, number>;

export interface SignInPlace {
  /** base64url of 12 bytes of HMAC-SHA-256 of (user, device, network): what is stored. */
  hash: string;
  /** "Chrome on Windows": family and OS, no versions (English: the hash input, never reworded). */
  device: string;
  /** The same device in parts, so a mail can say it in the recipient's words. */
  deviceParts: DeviceParts;
  /** "203.0.113.x", "2001:db8:1::/48", or "an unknown network". */
  network: string;
}

const UNKNOWN_NETWORK = 'an unknown network';

/**
 * The network of a client address as it is shown and hashed: IPv4 /24 as "a.b.c.x", IPv6 /48
 * as "g1:g2:g3::/48" (IPv4-mapped IPv6 as IPv4); null when there is no usable address.
 */
export function networkOf(address: string | undefined): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return null;
  return 'v4' in parsed ? `${parsed.v4.split('.').slice(0, 3).join('.')}.x` : `${parsed.v6.slice(0, 3).join(':')}::/48`;
}

/** Longest User-Agent looked at: a header is client text, the regexes stay linear on a bounded input. */
const MAX_UA = 512;

/**
 * A device as its parts: the browser or product name (`family`, a name as the client spells
 * it: never translated), or when there is none its kind (`app`: a web view or WebKit app that
 * does not name itself; `unknown`: nothing readable), and the OS when one is named. The mail
 * composes its words from these (service/sign-in-alert-mail.ts); `deviceOf` composes the
 * English string that is hashed.
 */
export type DeviceParts = ({ family: string; kind?: undefined } | { kind: 'app' | 'unknown'; family?: undefined }) & { os?: string };

/** The User-Agent's parts (see `deviceOf` for what is read). */
export function devicePartsOf(userAgent: string | undefined): DeviceParts {
  const ua = (userAgent ?? '').slice(0, MAX_UA).trim();
  if (!ua) return { kind: 'unknown' };
  const family = familyOf(ua);
  const os = osOf(ua);
  const withOs = os ? { os } : {};
  if (family === APP) return { kind: 'app', ...withOs };
  return family ? { family, ...withOs } : { kind: 'unknown', ...withOs };
}

/**
 * The English words of a device's parts, exactly as they were before the parts existed: they
 * are the hash input of every stored place, so a change here makes every known place new (and
 * mails once per place). sign-in-place.test.ts pins a hash literal for that reason.
 */
export function englishDevice(parts: DeviceParts): string {
  if (parts.family !== undefined) return parts.os ? `${parts.family} on ${parts.os}` : parts.family;
  if (parts.kind === 'app') return parts.os ? `an app on ${parts.os}` : 'an app';
  return parts.os ? `an unknown app on ${parts.os}` : 'an unknown device';
}

/**
 * The User-Agent as "<family> on <OS>", with no version of either. Browsers by their
 * distinguishing token (Edge and Opera before Chrome, Chrome before Safari: each carries the
 * next one's token too); anything else that names itself first (`Budgeting/3.2 (iPhone; iOS
 * 17.4)`, `curl/8.5.0`, `okhttp/4.12`) by that product name. Absent or unreadable: "an unknown
 * device".
 */
export function deviceOf(userAgent: string | undefined): string {
  return englishDevice(devicePartsOf(userAgent));
}

/** familyOf's answer for an app that does not name itself (a web view, a WebKit app). */
const APP = 'an app';

function familyOf(ua: string): string | null {
  if (/^Mozilla\//.test(ua) || /^Opera\//.test(ua)) {
    if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'Edge';
    if (/\b(OPR|OPT|Opera)\//.test(ua)) return 'Opera';
    if (/\bSamsungBrowser\//.test(ua)) return 'Samsung Internet';
    if (/\b(Firefox|FxiOS)\//.test(ua)) return 'Firefox';
    if (/\bCriOS\//.test(ua)) return 'Chrome';
    if (/; wv\)/.test(ua)) return APP;
    if (/\b(Chrome|Chromium)\//.test(ua)) return 'Chrome';
    if (/\bVersion\/[\d.]+.*\bSafari\//.test(ua)) return 'Safari';
    if (/\bAppleWebKit\//.test(ua)) return APP;
    return null;
  }
  // A product token first: the app or tool's own name (RFC 9110 product = token ["/" version]).
  const product = /^([A-Za-z][A-Za-z0-9._-]{0,39})(?:\/|\s|$)/.exec(ua);
  return product ? product[1]! : null;
}

function osOf(ua: string): string | null {
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\b(iPhone|iPad|iPod)\b|\biOS\b|\bCFNetwork\//.test(ua)) return 'iOS';
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\b(Macintosh|Mac OS X|macOS)\b/.test(ua)) return 'macOS';
  if (/\bLinux\b|\bUbuntu\b|\bX11\b/.test(ua)) return 'Linux';
  return null;
}

/**
 * The key the place hashes are made under: HKDF-SHA-256 of the token signing key under a label
 * of its own (never the key that signs access tokens). The user id is in every hash too, so one
 * place hashes differently per account and the table cannot tell that two accounts share a
 * network. Rotating the signing key changes every hash: while the previous key is set, a place
 * stored under its key is still known and moves to the current one (`planPlace`'s
 * `previousHash`); after it, a place not moved meanwhile mails once (docs/sign-in-alerts.md "Sign-in alerts").
 */
export function placeKey(signingKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey, '', 'users-sign-in-place-hmac-sha256', 32));
}

/**
 * The place of a sign-in: its hash and readable forms. The hash is the first 12 bytes (96 bits)
 * of HMAC-SHA-256, base64url (16 characters): two of one account's 20 places colliding (one
 * alert missed) has odds of about 2^-88, and the short key keeps 20 places at about 0.5 KB on
 * the profile, which every request's account check reads (docs/sign-in-alerts.md "Sign-in alerts", cost).
 */
export function signInPlace(key: Buffer, userId: string, address: string | undefined, userAgent: string | undefined): SignInPlace {
  const network = networkOf(address);
  const deviceParts = devicePartsOf(userAgent);
  const device = englishDevice(deviceParts);
  const hash = createHmac('sha256', key).update(`${userId}\n${device}\n${network ?? ''}`, 'utf8').digest().subarray(0, 12).toString('base64url');
  return { hash, device, deviceParts, network: network ?? UNKNOWN_NETWORK };
}

/** What a sign-in from `hash` does to the stored places: `next` null when nothing needs writing. */
export interface PlacePlan {
  isNew: boolean;
  next: KnownPlaces | null;
}

/**
 * Known: nothing written unless its last-seen is a day old. New: recorded, and when that makes
 * more than MAX_KNOWN_PLACES the least recently seen are dropped (ties by hash, so the result
 * does not depend on the map's order).
 *
 * `previousHash`: the same place hashed under the previous signing key's place key, during a
 * rotation. Unknown under the current key but known under the previous one, it is a known
 * place (no alert): its entry is re-keyed, the previous hash dropped and the current one
 * recorded as seen now, so the map keeps its size (never above the cap) and the next sign-in
 * from there finds it under the current key alone.
 */
export function planPlace(known: KnownPlaces | undefined, hash: string, nowSeconds: number, previousHash?: string): PlacePlan {
  const current = known ?? {};
  const seen = current[hash];
  if (seen !== undefined) {
    // Capped too: two concurrent new places may have left one entry over the cap (placesWrite).
    return { isNew: false, next: nowSeconds - seen >= LAST_SEEN_REFRESH_SECONDS ? capped({ ...current, [hash]: nowSeconds }) : null };
  }
  if (previousHash !== undefined && previousHash !== hash && current[previousHash] !== undefined) {
    const { [previousHash]: _moved, ...rest } = current;
    return { isNew: false, next: capped({ ...rest, [hash]: nowSeconds }) };
  }
  return { isNew: true, next: capped({ ...current, [hash]: nowSeconds }) };
}

/** The MAX_KNOWN_PLACES most recently seen places (ties by hash, so the result does not depend on the map's order). */
function capped(places: KnownPlaces): KnownPlaces {
  const entries = Object.entries(places).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries.slice(0, MAX_KNOWN_PLACES));
}

/**
 * How a plan's `next` is written (docs/sign-in-alerts.md "Sign-in alerts", "How it is written"): only the
 * entries that changed, by map path, so two sign-ins from two new places at the same instant
 * (each planned from the same read) both land instead of the later whole map dropping the
 * other's place. `whole` when the profile has no map yet (a profile made before sign-in alerts:
 * a path SET on a missing map fails); two such first sign-ins at once still keep one place.
 * Both concurrent writers may evict the same least recently seen entry and add one each, so the
 * map can hold one more than MAX_KNOWN_PLACES per extra concurrent new place; the next sign-in
 * that writes the map at all (a new place, or a day-old last-seen) is capped back to the cap.
 */
export type PlacesWrite = { whole: KnownPlaces } | { set: KnownPlaces; remove: string[] };

/** The write that turns `known` (as read) into `next`; null when they hold the same entries. */
export function placesWrite(known: KnownPlaces | undefined, next: KnownPlaces): PlacesWrite | null {
  if (known === undefined) return { whole: next };
  const set: KnownPlaces = {};
  for (const [hash, seen] of Object.entries(next)) if (known[hash] !== seen) set[hash] = seen;
  const remove = Object.keys(known).filter((hash) => next[hash] === undefined).sort();
  return Object.keys(set).length === 0 && remove.length === 0 ? null : { set, remove };
}
