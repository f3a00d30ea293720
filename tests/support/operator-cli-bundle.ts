import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The operator CLIs' entry points (packages/app/src/local), as `npm run job` and `npm run dead-letters` name them. */
export const OPERATOR_CLIS = ['job-cli.ts', 'dead-letters-cli.ts'] as const;
export type OperatorCli = (typeof OPERATOR_CLIS)[number];

/**
 * The operator CLIs bundled ONCE from their sources into a temporary folder, so that a test can
 * run each command in its own `node` process without paying, in every process, tsx's hooks over
 * the import of some 2,300 files (770 of them the app's TypeScript, transpiled): `npm run job` is
 * tsx over the same sources. A command that loads the app took 0.6-0.7 s that way, 0.13-0.2 s
 * bundled (2 cores, warm tsx cache); the build takes 1.5 s, beside the test system's set-up.
 *
 * A plain bundle, not the Lambda's (no minify, none of its chunking or zod plugins): the code the
 * operator runs, only packed. Code splitting keeps each CLI's `import()` of the app lazy, so a
 * refused input or the usage is still answered without loading it, as under tsx.
 * `mainFields: module, main`: the AWS SDK's CJS entry points need `require("node:https")`,
 * which an ESM bundle cannot give them (packages/app/scripts/build.mjs).
 */
export async function bundleOperatorClis(): Promise<{ entry(cli: OperatorCli): string; remove(): void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'operator-clis-'));
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(OPERATOR_CLIS.map((cli) => [cli.replace(/\.ts$/, ''), join(root, 'packages/app/src/local', cli)])),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    splitting: true,
    outExtension: { '.js': '.mjs' },
    // Some dependencies still call require() for Node built-ins; give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return {
    entry: (cli) => join(outdir, cli.replace(/\.ts$/, '.mjs')),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
