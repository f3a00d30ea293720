// Bundles the one Lambda handler (ESM, Node 22 runtime) with esbuild.
// `--main-fields=module,main` matters: the AWS SDK's CJS entry points would otherwise pull in
// `require("node:https")` that an ESM bundle cannot satisfy.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdnDocsScript } from './docs-script.mjs';
import { lazyClientsOwnSdkCore } from './lazy-clients-own-sdk-core.mjs';
import { startGraphChunk } from './start-graph-chunk.mjs';
import { zodTreeShaking } from './zod-tree-shaking.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export const lambdaBuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Some dependencies still call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  // Code splitting: the handler loads each trigger's code on that trigger's first event
  // (see packages/app/src/lambda/handler.ts), and the AWS SDK's own lazy parts (credential
  // providers other than the one in use) stay out of the cold start. `.mjs` so Node loads
  // every chunk as ESM without a package.json next to it.
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // The SDK's browser user-agent parser: its only import() is in browser-only code that
  // tree-shaking removes, but with code splitting esbuild would still emit it as a 34 KB
  // chunk nothing can load. External = not emitted (and it is never imported on Node).
  external: ['bowser'],
  // The docs page's script in AWS: the pinned Scalar version from a CDN, with the SRI hash of
  // the file in node_modules (see packages/app/src/http/docs-page.ts).
  define: { __DOCS_SCRIPT__: JSON.stringify(cdnDocsScript()) },
  plugins: [englishOnlyZodLocales(), startGraphChunk(), zodTreeShaking(), lazyClientsOwnSdkCore()],
};

/** Resolves zod's `../locales/index.js` to a module exporting only English (see that file). */
function englishOnlyZodLocales() {
  return {
    name: 'zod-english-only',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]?/.test(args.importer)
          ? { path: join(root, 'packages/app/scripts/zod-locales-en.mjs') }
          : undefined,
      );
    },
  };
}

/**
 * Bundles one entry point into `outdir` (emptied first) with lambdaBuildOptions: the app's
 * handler here, the hello-world baseline in bench/. `overrides` is for the bench's
 * attribution builds only (e.g. unminified for readable profiles). Returns the entry file and
 * esbuild's metafile (every output, chunks included).
 */
export async function buildLambda({ entryPoint, outdir, entryName = 'handler', overrides = {} }) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    ...lambdaBuildOptions,
    ...overrides,
    entryPoints: { [entryName]: entryPoint },
    outdir,
    // Metafile paths relative to the repository, wherever the script is run from.
    absWorkingDir: root,
    metafile: true,
  });
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return { entry: join(outdir, `${entryName}.mjs`), metafile: result.metafile };
}

export async function buildHandler(outdir = join(root, 'dist/lambda')) {
  const { entry } = await buildLambda({ entryPoint: join(root, 'packages/app/src/lambda/handler.ts'), outdir });
  return entry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildHandler();
  console.log(`built ${out}`);
}
