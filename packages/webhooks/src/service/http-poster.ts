import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { UrlPolicy } from '../contract';
import { blockedAddressReason } from '../domain/blocked-addresses';
import { retryAfterMs } from '../domain/retry-after';

export interface PostResult {
  /** The HTTP status; null when no response came (refused, timeout, DNS, blocked address). */
  status: number | null;
  latencyMs: number;
  error: string | null;
  /** The wait the answer's `Retry-After` asks for (domain/retry-after.ts), when it names one. */
  retryAfterMs?: number;
}

/** Sends one webhook request; never throws (a failure is a result to record and retry). */
export type WebhookPoster = (url: string, headers: Record<string, string>, body: string) => Promise<PostResult>;

const TIMEOUT_MS = 10_000;
/**
 * The most of a response body read before its status is taken: the body means nothing to us,
 * and draining an endless one would hold the worker as long as the receiver keeps sending.
 */
const MAX_DRAINED_BYTES = 64 * 1024;

/**
 * POSTs with Node's http/https, not fetch, for one reason: the connection's DNS lookup is
 * ours, so in AWS every address the host resolves to is checked right where the socket
 * connects (no check-then-connect gap a rebinding DNS could use). Redirects are not followed
 * (a 3xx is a failed attempt): following one would send the signed body somewhere unchecked.
 *
 * `timeoutMs` is a deadline on the whole exchange (connect, status, headers, body), not the
 * socket's idle timeout: a receiver that sent a byte every few seconds reset that one forever
 * and held the delivery worker (and its batch) until the function's own timeout. A status that
 * came in time counts even when the body did not end: the rest is cut off.
 */
export function createPoster(policy: UrlPolicy, now: () => number = Date.now, timeoutMs: number = TIMEOUT_MS): WebhookPoster {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const blocked = addresses.map((a) => blockedAddressReason(a.address)).find(Boolean);
      if (blocked) return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${blocked}`), { code: 'EBLOCKEDADDRESS' }), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  return (target, headers, body) =>
    new Promise<PostResult>((resolve) => {
      const started = now();
      let retryAfter: number | undefined;
      const done = (status: number | null, error: string | null) =>
        resolve({ status, latencyMs: Math.max(0, now() - started), error, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) });
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        return done(null, 'invalid URL');
      }
      const strict = policy.mode === 'public-https';
      if (strict && url.protocol !== 'https:') return done(null, 'refused: not https');
      const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const literalBlocked = strict && isIP(literal) ? blockedAddressReason(literal) : undefined;
      if (literalBlocked) return done(null, `refused: ${literalBlocked}`);
      const client = url.protocol === 'https:' ? https : http;
      let status: number | null = null;
      let ended = false;
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'budgeting-webhooks/1' },
          timeout: timeoutMs,
          ...(strict ? { lookup: guardedLookup } : {}),
        },
        (response) => {
          status = response.statusCode ?? null;
          const header = response.headers['retry-after'];
          retryAfter = retryAfterMs(Array.isArray(header) ? header[0] : header, now());
          let drained = 0;
          // The body is not needed; drain it so the socket is freed, but only so much of it.
          response.on('data', (chunk: Buffer) => {
            drained += chunk.length;
            if (drained > MAX_DRAINED_BYTES) finish(status, null);
          });
          response.on('end', () => {
            ended = true;
            finish(status, null);
          });
          response.on('error', () => finish(status, null));
        },
      );
      const deadline = setTimeout(() => finish(status, status === null ? `no response within ${timeoutMs / 1000} s` : null), timeoutMs);
      // Settles once; an exchange cut short is closed (a complete one keeps its socket for the next attempt).
      const finish = (result: number | null, error: string | null) => {
        clearTimeout(deadline);
        done(result, error);
        if (!ended && !request.destroyed) request.destroy();
      };
      request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs / 1000} s`)));
      request.on('error', (err) => finish(status, status === null ? err.message : null));
      request.end(body);
    });
}
