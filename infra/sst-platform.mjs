#!/usr/bin/env node
// Makes sure .sst/platform holds the platform of the installed SST version: SST's component
// sources and types and the Pulumi providers they import, which `sst install` writes there.
// The infra type-check (infra/typecheck.mjs) and the infra rehearsal (tests/infra, run by
// `npm test`) both need it. `sst install` runs only when the folder is missing or was written
// by another SST version; otherwise this returns at once. `node infra/sst-platform.mjs` runs it.
//
// Facts this relies on (see the project's CI notes):
// - the SST CLI refuses to run next to an unexpected package manager unless
//   SST_SKIP_DEPENDENCY_CHECK=1;
// - `sst install` installs providers with Bun; SST_BUN_PATH points it at the binary of the npm
//   package `bun` (a devDependency), so nothing outside node_modules is needed;
// - it fetches @pulumi/* from the npm registry the first time (cached by Bun afterwards).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const platformDir = join(root, '.sst/platform');

function fail(message) {
  console.error(`sst platform: ${message}`);
  process.exit(1);
}

function sstVersion() {
  const pkg = join(root, 'node_modules/sst/package.json');
  if (!existsSync(pkg)) fail('node_modules/sst is missing: run `npm ci` first.');
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

/** The real Bun executable (the npm package replaces a placeholder in its postinstall). */
function bunBinary() {
  if (process.env.SST_BUN_PATH) return process.env.SST_BUN_PATH;
  const candidates = ['node_modules/bun/bin/bun.exe', 'node_modules/bun/bin/bun', 'node_modules/.bin/bun'];
  for (const candidate of candidates) {
    const path = join(root, candidate);
    if (!existsSync(path) || statSync(path).size < 1_000_000) continue; // placeholder text file
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return path;
  }
  fail(
    'no working Bun binary in node_modules/bun (its postinstall did not run?). ' +
      'Reinstall without --ignore-scripts, or set SST_BUN_PATH to a bun executable.',
  );
}

function platformIsCurrent(version) {
  const versionFile = join(platformDir, 'version');
  return (
    existsSync(join(platformDir, 'config.d.ts')) &&
    existsSync(join(platformDir, 'node_modules/@pulumi/aws')) &&
    existsSync(versionFile) &&
    readFileSync(versionFile, 'utf8').trim() === version
  );
}

function installPlatform(version) {
  console.log(`sst platform: writing SST ${version} platform types to .sst/platform (sst install)`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules/sst/bin/sst.mjs'), 'install'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      SST_SKIP_DEPENDENCY_CHECK: '1',
      SST_TELEMETRY_DISABLED: '1',
      // install only evaluates app(); any stage name will do, none is deployed.
      SST_STAGE: process.env.SST_STAGE || 'typecheck',
      SST_BUN_PATH: bunBinary(),
    },
  });
  if (result.status !== 0) {
    fail('`sst install` failed (it needs the npm registry the first time, to fetch the Pulumi providers).');
  }
  if (!platformIsCurrent(version)) fail('`sst install` finished but .sst/platform is incomplete.');
}

/** Installs SST's platform into .sst/platform unless it is already there for this SST version. */
export function ensurePlatform() {
  const version = sstVersion();
  if (!platformIsCurrent(version)) installPlatform(version);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensurePlatform();
