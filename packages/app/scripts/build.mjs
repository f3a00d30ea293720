// Bundles the one Lambda handler (ESM, Node 22 runtime) with esbuild.
// `--main-fields=module,main` matters: the AWS SDK's CJS entry points would otherwise pull in
// `require("node:https")` that an ESM bundle cannot satisfy.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  plugins: [englishOnlyZodLocales(), zodTreeShaking()],
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

export async function buildHandler(outfile = join(root, 'dist/lambda/handler.mjs')) {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    ...lambdaBuildOptions,
    entryPoints: [join(root, 'packages/app/src/lambda/handler.ts')],
    outfile,
    metafile: true,
  });
  writeFileSync(join(dirname(outfile), 'meta.json'), JSON.stringify(result.metafile));
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildHandler();
  console.log(`built ${out}`);
}
