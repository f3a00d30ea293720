import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real AWS payloads in ../shared/fixtures/aws-events (next to the repository). Tests copy
 * one and change path/method/headers/body; the envelope around them is what is under test.
 * AWS_EVENT_FIXTURES points elsewhere when the repository is checked out on its own.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES_DIR = process.env.AWS_EVENT_FIXTURES ?? join(repoRoot, '../shared/fixtures/aws-events');

export type FixtureName =
  | 'apigw-v2-request-no-authorizer'
  | 'apigw-v2-request-jwt-authorizer'
  | 'apigw-v2-request-iam'
  | 'dynamodb-event'
  | 'codepipeline-execution-state-change-event'
  | 'scheduled-event';

/** A fresh deep copy of a fixture each call, so tests can change it freely. */
export function fixture(name: FixtureName): any {
  const file = join(FIXTURES_DIR, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`AWS event fixture missing: ${file} (set AWS_EVENT_FIXTURES to the aws-events folder)`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

export type ApiFixture = 'apigw-v2-request-no-authorizer' | 'apigw-v2-request-jwt-authorizer' | 'apigw-v2-request-iam';

export interface HttpRequestSpec {
  method?: string;
  /** Path with an optional query string: `/v1/me?x=1`. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or a raw string. */
  body?: unknown;
  rawBody?: string;
  base64?: boolean;
  /** Raw bytes, sent base64-encoded (as API Gateway passes a body of a non-text media type). */
  bytes?: Uint8Array;
}

/**
 * An API Gateway HTTP API (payload 2.0) event from one of the real fixtures, pointed at
 * another route. Everything else (request context, authorizer, cookies, stage variables) is
 * the fixture's own.
 */
export function apiEvent(name: ApiFixture, spec: HttpRequestSpec): any {
  const event = fixture(name);
  const [rawPath, rawQueryString = ''] = spec.path.split('?') as [string, string?];
  const method = spec.method ?? 'GET';
  event.rawPath = rawPath;
  event.rawQueryString = rawQueryString;
  event.queryStringParameters = rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined;
  event.routeKey = '$default';
  event.requestContext.routeKey = '$default';
  event.requestContext.http.method = method;
  event.requestContext.http.path = rawPath;
  event.headers = { ...event.headers, ...spec.headers };

  if (spec.bytes !== undefined) {
    event.headers['content-length'] = String(spec.bytes.byteLength);
    event.isBase64Encoded = true;
    event.body = Buffer.from(spec.bytes).toString('base64');
    return event;
  }
  let body: string | undefined = spec.rawBody;
  if (body === undefined && spec.body !== undefined) {
    body = JSON.stringify(spec.body);
    event.headers['content-type'] ??= 'application/json';
  }
  if (body === undefined) {
    delete event.body;
    event.headers['content-length'] = '0';
    event.isBase64Encoded = false;
  } else {
    event.headers['content-length'] = String(Buffer.byteLength(body));
    event.isBase64Encoded = spec.base64 === true;
    event.body = spec.base64 ? Buffer.from(body).toString('base64') : body;
  }
  return event;
}
