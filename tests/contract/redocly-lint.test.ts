import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../support/openapi';

/**
 * Redocly CLI's linter on the document the app serves, with the committed redocly.yaml
 * (its `recommended` rules; any rule turned off there says why). Errors and warnings both fail.
 */
const root = join(import.meta.dirname, '../..');

it('passes `redocly lint` with no error and no warning', async () => {
  const document = await fetchOpenApiDocument();
  const dir = join(import.meta.dirname, '.generated');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(document, null, 2));
  const cli = join(root, 'node_modules/@redocly/cli/bin/cli.js');
  const result = await promisify(execFile)(process.execPath, [cli, 'lint', '--config', join(root, 'redocly.yaml'), '--format', 'stylish', file], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  }).catch((err: { stdout: string; stderr: string }) => ({ stdout: err.stdout, stderr: err.stderr, failed: true }));
  const output = `${result.stdout}\n${result.stderr}`;
  expect('failed' in result, output).toBe(false);
  expect(output).not.toMatch(/\b(error|warning)\b\s+[a-z-]+/);
  expect(output).toMatch(/Woohoo! Your API description is valid|valid/i);
}, 120_000);
