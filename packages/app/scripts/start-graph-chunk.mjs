// Puts the composition root's static graph in as few chunks as esbuild's splitting allows.
//
// Why: with code splitting esbuild puts a file in the chunk of the SET of entry points that can
// reach it, and every `import()` is an entry point. The modules load about 60 parts on first use
// (services, jobs, routers, schemas), and each of them also imports a few files the start-up code
// imports too (a repository, `periods.ts`, a jobs' `names.ts`...): each distinct set of such
// parts made one more chunk on the cold path. A first GET summary loaded 55 files (the baseline
// 8), and a fresh process pays per file loaded (open, read, compile, link), not only per byte
// (bench/HISTORY.md#cold-start-the-composition-roots-graph-in-few-chunks-featcold51-2026-12-05).
//
// How: each module's part loaded on first use also imports `packages/app/src/system.ts` (for
// its side effects: none, it only declares createSystem), in the bundle only. Those parts are
// only ever loaded by the objects createSystem built, so the system's chunks are loaded by then
// and the import costs nothing at run time; but now every file of the system's graph is reached
// by the same set of entry points, so the files only the system's graph holds share one chunk.
// What only the lazy parts use stays in their own chunks, off the cold path
// (tests/lambda/cold-http-imports.test.ts). Only the modules' packages are anchored: the app's
// and platform's `import()`s are also reached by the stream batches' relay and the queue
// consumers, which load before (or without) the system.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteZodImports } from './zod-tree-shaking.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SYSTEM = join(root, 'packages/app/src/system.ts');
/** The business modules: their lazy parts are only reachable through createSystem. */
const MODULES = ['users', 'budgets', 'expenses', 'activity', 'notifications', 'webhooks'];
// Not a type position such as `import('./x').X` (a type, not a load; `.then` is a load).
const DYNAMIC_IMPORT = /\bimport\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)(?!\.(?!then\b)[\w$])/g;

/** Every file a module's source imports with `import('./relative')` (tests excluded). */
export function lazyModuleParts(packagesDir = join(root, 'packages')) {
  const parts = new Set();
  for (const module of MODULES) {
    for (const file of tsFiles(join(packagesDir, module, 'src'))) {
      for (const [, , spec] of readFileSync(file, 'utf8').matchAll(DYNAMIC_IMPORT)) {
        const target = resolveTs(resolve(dirname(file), spec));
        if (target) parts.add(target);
      }
    }
  }
  return parts;
}

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function resolveTs(base) {
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Must come before zodTreeShaking in the plugin list: esbuild uses the first onLoad that answers,
 * so this one applies the same zod rewrite to the files it loads.
 */
export function startGraphChunk() {
  return {
    name: 'start-graph-chunk',
    setup(b) {
      const parts = lazyModuleParts();
      b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
        if (!parts.has(args.path)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const contents = source.includes('zod') ? rewriteZodImports(source) : source;
        // Appended, so the source map's lines are unchanged.
        return { contents: `${contents}\nimport ${JSON.stringify(SYSTEM)};\n`, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}
