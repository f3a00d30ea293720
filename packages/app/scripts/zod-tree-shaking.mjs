// Lets esbuild tree-shake zod in the Lambda bundle.
//
// Why: `import { z } from 'zod'` binds the namespace object that zod's index re-exports, and
// esbuild must then build that object with EVERY export of zod (JSON-schema import, z.compile's
// code generator, ...): ~190 KB minified. `import * as z from 'zod'` used as `z.object(...)` lets
// esbuild keep only what is referenced (~85 KB), and it is ~15 ms less to parse and evaluate at
// cold start. Same zod, same classes, same behaviour: esbuild still keeps the whole namespace on
// its own whenever it is used in a way it cannot see through (passed around, indexed by a
// variable), so nothing reachable can be dropped.
//
// Two rewrites, applied only to the bundle (the sources and tsx/vitest are untouched):
//  1. our own sources: `import { z, X } from 'zod' | '@hono/zod-openapi'` becomes
//     `import * as z from 'zod'` (+ the remaining named imports, or a bare import of
//     @hono/zod-openapi so its `.openapi()` prototype extension still runs first).
//  2. @hono/zod-openapi passes the namespace to `extendZodWithOpenApi(z)`, which only touches
//     `z.ZodType.prototype`; we hand it `{ ZodType }` instead. If that library's text changes,
//     the build fails loudly rather than silently bundling all of zod again.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])(zod|@hono\/zod-openapi)\2\s*;?/g;

/** Rewrites value imports of `z` into namespace imports; returns the source unchanged otherwise. */
export function rewriteZodImports(source) {
  return source.replace(NAMED_IMPORT, (whole, specifiers, _quote, from) => {
    const parts = specifiers.split(',').map((s) => s.trim()).filter(Boolean);
    const zPart = parts.find((p) => /^z(\s+as\s+[\w$]+)?$/.test(p));
    if (!zPart) return whole;
    const local = zPart.split(/\s+as\s+/)[1] ?? 'z';
    const rest = parts.filter((p) => p !== zPart);
    const lines = [`import * as ${local} from 'zod';`];
    if (rest.length > 0) lines.push(`import { ${rest.join(', ')} } from '${from}';`);
    else if (from !== 'zod') lines.push(`import '${from}';`);
    return lines.join(' ');
  });
}

const ZOD_OPENAPI_PATCHES = [
  ['import { z } from "zod";', 'import { ZodType } from "zod";'],
  ['extendZodWithOpenApi(z);', 'extendZodWithOpenApi({ ZodType });'],
  [
    'export { $, OpenAPIHono, createRoute, defineOpenAPIRoute, extendZodWithOpenApi, z };',
    'export { $, OpenAPIHono, createRoute, defineOpenAPIRoute, extendZodWithOpenApi };\nexport { z } from "zod";',
  ],
];

/** Applies rewrite 2; throws when the library no longer has the text we expect. */
export function patchZodOpenApi(source, file = '@hono/zod-openapi') {
  let out = source;
  for (const [from, to] of ZOD_OPENAPI_PATCHES) {
    if (!out.includes(from)) {
      throw new Error(
        `zod-tree-shaking: ${file} no longer contains ${JSON.stringify(from)}; update packages/app/scripts/zod-tree-shaking.mjs`,
      );
    }
    out = out.replace(from, to);
  }
  return out;
}

export function zodTreeShaking() {
  return {
    name: 'zod-tree-shaking',
    setup(b) {
      b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, async (args) => {
        if (args.path.includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('zod')) return undefined;
        return { contents: rewriteZodImports(source), loader: 'ts', resolveDir: dirname(args.path) };
      });
      b.onLoad({ filter: /[\\/]@hono[\\/]zod-openapi[\\/]dist[\\/]index\.mjs$/ }, async (args) => ({
        contents: patchZodOpenApi(await readFile(args.path, 'utf8'), args.path),
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}
