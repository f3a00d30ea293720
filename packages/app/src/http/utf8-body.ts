import { problems, type AppEnv } from '@budgeting/platform';
import { createMiddleware } from 'hono/factory';
import { hasBody } from './has-body';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
const MESSAGE = 'Must be valid UTF-8 (the body held bytes that are not)';

/**
 * Bodies a route decodes itself, by a charset the body or the request declares: only these
 * paths and only these media types (the expenses import's OFX/QFX statements and CSV files,
 * often Windows-1252).
 */
export interface DecodedByRoute {
  paths: RegExp[];
  mediaTypes: string[];
}

/**
 * Bodies must be UTF-8. Without this check, invalid bytes would be replaced by U+FFFD when the
 * body is read as text (JSON, CSV) and stored silently changed. Reads the body once (Hono
 * caches its bytes and text for the validators), after the body limit and content-type checks have passed.
 * The 400 names the JSON fields that held the bad bytes, or `body` when that cannot be told.
 *
 * `decodedByRoute`: the one narrow exemption, the bank files of the expenses import (an OFX
 * statement declaring its charset, a CSV file in the charset its byte order mark or the
 * request names (UTF-16, Windows-1250...) or, none named and not UTF-8, Windows-1252) on the
 * route that decodes them and refuses what it cannot
 * decode (expenses routes/import-body.ts). Their bytes are still bounded by the body limit of
 * the path (bodyLimits runs first); nothing else is exempt.
 */
export function requireUtf8Body(decodedByRoute?: DecodedByRoute) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(c.req.method) || !hasBody(c.req.raw, c.env as { incoming?: unknown } | undefined)) return next();
    if (decodedByRoute && decodedByRoute.paths.some((p) => p.test(c.req.path))) {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (decodedByRoute.mediaTypes.includes(type)) return next();
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    try {
      // Kept as the body's text: Hono's json()/text() read `bodyCache.text` first; given only
      // the bytes, they would build a Response around them to decode them again. Same text:
      // both are UTF-8 decoding that drops a leading BOM. (Hono keeps promises there at run
      // time although its type says string, hence Object.assign.)
      Object.assign(c.req.bodyCache, { text: Promise.resolve(strict.decode(bytes)) });
    } catch {
      throw problems.validation(fieldsWithReplacements(lenient.decode(bytes)).map((path) => ({ path, message: MESSAGE })));
    }
    return next();
  });
}

/** Paths of the JSON strings that decoding had to repair (they hold U+FFFD); `body` if none is found. */
function fieldsWithReplacements(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ['body'];
  }
  const found: string[] = [];
  const walk = (v: unknown, path: string[], depth: number) => {
    if (depth > 64 || found.length >= 20) return;
    if (typeof v === 'string') {
      if (v.includes('\ufffd')) found.push(path.join('.') || 'body');
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, String(i)], depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes('\ufffd')) found.push([...path, key].join('.'));
        walk(item, [...path, key], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  return found.length > 0 ? found : ['body'];
}

const QUERY_MESSAGE = 'Must be percent-encoded UTF-8 (a % not followed by two hex digits, or bytes that are not UTF-8)';

/**
 * Query values must be percent-encoded UTF-8, as bodies must be UTF-8. Hono keeps a value it
 * cannot decode (`%ED%A0%80`, Latin-1 `%E9`, a bare `%`) as its raw text, so a search ran for
 * the literal "%ED%A0%80" and answered 200. The 400 names each such parameter (`query.<name>`).
 */
export function requireUtf8Query() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('?');
    if (start === -1 || !url.includes('%', start)) return next();
    const bad: string[] = [];
    for (const pair of url.slice(start + 1).split('&')) {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      if (!decodes(pair.replace(/\+/g, ' '))) bad.push(`query.${decodes(name) ? decodeURIComponent(name) : name}`);
    }
    if (bad.length > 0) throw problems.validation([...new Set(bad)].map((path) => ({ path, message: QUERY_MESSAGE })));
    return next();
  });
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
