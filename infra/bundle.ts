/**
 * How SST bundles the one function (`nodejs` of sst.aws.Function): the same esbuild settings
 * as packages/app/scripts/build.mjs (`npm run build`, the bundle the tests and the benchmark
 * use), so what is deployed is what was tested. tests/lambda/infra-wiring.test.ts compares
 * the two. SST always adds its own createRequire banner, so build.mjs's banner is not
 * repeated here (it would declare `require` twice).
 */
export const lambdaNodejsOptions = {
  format: 'esm' as const,
  minify: true,
  sourcemap: true,
  // Each trigger's code is its own chunk, loaded on that trigger's first event.
  splitting: true,
  esbuild: {
    target: 'node22',
    mainFields: ['module', 'main'],
    // The SDK's browser-only user-agent parser, never loaded on Node.
    external: ['bowser'],
  },
  // Path relative to the project root; the file re-exports build.mjs's plugins.
  plugins: 'infra/esbuild-plugins.mjs',
};
