import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

/**
 * Loads THE built artefact, dist/lambda/handler.mjs (what `npm run build` produces and what
 * ships), not the TypeScript sources. `npm test` builds it first; a test run on its own
 * builds it here if it is missing.
 *
 * The bundle reads its configuration when it is imported, so the environment must be set
 * before: pass it here.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUNDLE = join(repoRoot, 'dist/lambda/handler.mjs');

export type BundledHandler = (event: unknown, context: Context) => Promise<any>;

export async function loadBundledHandler(env: Record<string, string>): Promise<BundledHandler> {
  if (!existsSync(BUNDLE)) {
    // The same command as `npm run build`.
    execFileSync(process.execPath, [join(repoRoot, 'packages/app/scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  }
  Object.assign(process.env, env);
  const mod = (await import(pathToFileURL(BUNDLE).href)) as { handler?: BundledHandler };
  if (typeof mod.handler !== 'function') throw new Error(`${BUNDLE} does not export a handler function`);
  return mod.handler;
}

/** A Lambda context as the Node.js runtime passes it (only metadata: the handler must not need more). */
export function lambdaContext(requestId = 'c6af9ac6-7b61-11e6-9a41-93e812345678'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'budgeting-test-Handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:budgeting-test-Handler',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/budgeting-test-Handler',
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An API Gateway v2 result, with headers looked up case-insensitively and the body parsed. */
export function httpResult(result: any) {
  const headers = new Map<string, string>(
    Object.entries((result?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text: string = result?.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result?.body ?? '');
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: result?.statusCode as number, header: (name: string) => headers.get(name.toLowerCase()), json, text, raw: result };
}
