// Types for build.mjs, so TypeScript callers (bench/, tests/lambda) import it checked.
import type { BuildOptions, Metafile } from 'esbuild';

/** The esbuild options of the Lambda bundle; the bench bundles its baseline with the same. */
export declare const lambdaBuildOptions: BuildOptions;

export declare function buildLambda(args: {
  entryPoint: string;
  outdir: string;
  entryName?: string;
  overrides?: BuildOptions;
}): Promise<{ entry: string; metafile: Metafile }>;

/** Builds packages/app/src/lambda/handler.ts into `outdir` (default dist/lambda); returns the entry file. */
export declare function buildHandler(outdir?: string): Promise<string>;
