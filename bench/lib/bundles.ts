import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BuildOptions, Metafile } from 'esbuild';
// The app's own build script: the bench bundles everything through it, the same way.
import { buildLambda } from '../../packages/app/scripts/build.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const buildDir = join(repoRoot, 'bench/results/build');

export interface BundleStats {
  /** Every JavaScript file the build emits (entry and all chunks; no source maps). */
  totalBytes: number;
  totalGzipBytes: number;
  /** The entry and the chunks it imports statically: what a cold start parses and runs. */
  eagerBytes: number;
  files: number;
  /** Bytes in the output per npm package / workspace package, all chunks. */
  byPackage: Record<string, number>;
  eagerByPackage: Record<string, number>;
}

export interface BuiltBundle {
  name: string;
  /** The source entry point it was built from. */
  entryPoint: string;
  entry: string;
  outdir: string;
  stats: BundleStats;
}

export async function buildBundle(name: string, entryPoint: string, overrides?: BuildOptions): Promise<BuiltBundle> {
  const outdir = join(buildDir, name);
  const { entry, metafile } = await buildLambda({ entryPoint, outdir, overrides });
  return { name, entryPoint, entry, outdir, stats: bundleStats(metafile, entry) };
}

/** Groups an input path by what it belongs to: an npm package, one of ours, or other source. */
export function packageOf(input: string): string {
  const nm = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  const ours = input.match(/packages\/([^/]+)\//);
  if (ours) return `@budgeting/${ours[1]}`;
  return input.replace(/^(\.\.\/)+/, '');
}

export function bundleStats(metafile: Metafile, entryFile: string): BundleStats {
  const outputs = metafile.outputs;
  const key = (file: string) => Object.keys(outputs).find((k) => join(repoRoot, k) === file);
  const entryKey = key(entryFile);
  if (!entryKey) throw new Error(`entry ${entryFile} is not among the build outputs`);

  const eager = new Set<string>();
  const visit = (k: string) => {
    if (eager.has(k) || !outputs[k]) return;
    eager.add(k);
    for (const imp of outputs[k]!.imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entryKey);

  const stats: BundleStats = { totalBytes: 0, totalGzipBytes: 0, eagerBytes: 0, files: 0, byPackage: {}, eagerByPackage: {} };
  for (const [file, out] of Object.entries(outputs)) {
    if (file.endsWith('.map')) continue;
    stats.files++;
    stats.totalBytes += out.bytes;
    stats.totalGzipBytes += gzipSync(readFileSync(join(repoRoot, file)), { level: 9 }).length;
    if (eager.has(file)) stats.eagerBytes += out.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const pkg = packageOf(input);
      stats.byPackage[pkg] = (stats.byPackage[pkg] ?? 0) + bytesInOutput;
      if (eager.has(file)) stats.eagerByPackage[pkg] = (stats.eagerByPackage[pkg] ?? 0) + bytesInOutput;
    }
  }
  return stats;
}
