#!/usr/bin/env node
// Type-checks sst.config.ts and infra/ against SST's real platform types, with no AWS account.
//
// SST's component types are not in the npm package: `sst install` writes them (and the Pulumi
// providers they import) to .sst/platform. This script runs it when that folder is missing or
// was written by another SST version, then runs tsc with infra/tsconfig.json. Errors inside
// .sst/ are SST's own source and are only counted; any other error fails the check.
//
// Facts this relies on (see the project's CI notes):
// - the SST CLI refuses to run next to an unexpected package manager unless
//   SST_SKIP_DEPENDENCY_CHECK=1;
// - `sst install` installs providers with Bun; SST_BUN_PATH points it at the binary of the npm
//   package `bun` (a devDependency), so nothing outside node_modules is needed;
// - it fetches @pulumi/* from the npm registry the first time (cached by Bun afterwards).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const platformDir = join(root, '.sst/platform');

function fail(message) {
  console.error(`infra typecheck: ${message}`);
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
  console.log(`infra typecheck: writing SST ${version} platform types to .sst/platform (sst install)`);
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

function typecheck() {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'infra/tsconfig.json'), '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) fail(`could not run tsc: ${result.error.message}`);
  const output = `${result.stdout}${result.stderr}`;

  // tsc prints `file(line,col): error TSxxxx: message` followed by indented continuation lines.
  const diagnostics = [];
  for (const line of output.split('\n')) {
    if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1].push(line);
    else if (line.trim()) diagnostics.push([line]);
  }
  const inSst = (d) => /^\.sst[\\/]/.test(relative(root, join(root, d[0].split('(')[0])));
  const ours = diagnostics.filter((d) => !inSst(d));
  const theirs = diagnostics.length - ours.length;

  if (theirs > 0) console.log(`infra typecheck: ignored ${theirs} diagnostic(s) inside .sst/ (SST's own sources)`);
  if (ours.length > 0) {
    console.error(ours.map((d) => d.join('\n')).join('\n'));
    fail(`${ours.length} error(s) in sst.config.ts / infra/`);
  }
  if (result.status !== 0 && theirs === 0) fail(`tsc exited with ${result.status}:\n${output}`);
  console.log('infra typecheck: sst.config.ts and infra/ OK against SST platform types');
}

const version = sstVersion();
if (!platformIsCurrent(version)) installPlatform(version);
typecheck();
