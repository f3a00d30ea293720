#!/usr/bin/env node
// Type-checks sst.config.ts and infra/ against SST's real platform types, with no AWS account.
//
// SST's component types are not in the npm package: `sst install` writes them (and the Pulumi
// providers they import) to .sst/platform. This script runs it when that folder is missing or
// was written by another SST version, then runs tsc with infra/tsconfig.json. Errors inside
// .sst/ are SST's own source and are only counted; any other error fails the check.
//
// `sst install` itself (when .sst/platform is missing or stale) is infra/sst-platform.mjs.
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePlatform } from './sst-platform.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`infra typecheck: ${message}`);
  process.exit(1);
}

function typecheck() {
  // TypeScript 7 (native; the `typescript7` alias): README "Type-checking" says why.
  const tsc = join(root, 'node_modules/typescript7/bin/tsc');
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

ensurePlatform();
typecheck();
