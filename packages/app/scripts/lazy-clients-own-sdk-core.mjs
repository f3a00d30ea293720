// Keeps the SDK code of the AWS clients loaded on first use off the cold path.
//
// Why: a cold HTTP request loads one AWS client, DynamoDB's; S3 (receipts), SNS (push), SQS
// (jobs), EventBridge (the relay) and SES are imported on first use. They all import the same
// `@aws-sdk/core` and `@smithy/core` barrels, and with code splitting esbuild puts a file in
// the chunk shared by every entry that can REACH it, used or not: so the XML and query
// protocols, the XML parser and the checksum streams that only S3 and SNS use rode in the
// chunks the DynamoDB client loads at cold start (measured: about 15 KB of the 470 KB a first
// budget summary loaded; bench/HISTORY.md#cold-start-the-xml-clients-own-sdk-core-lead-stop-19-2026-12-01).
//
// How: the clients whose wire protocols DynamoDB does not speak, S3 (REST-XML, with the
// presigners), SNS and the SDK's own STS/SSO clients (query, XML answers; the credential
// providers import them on first use, and on Lambda the environment's credentials mean never),
// resolve to their CommonJS builds (`require` condition), and so does everything those CommonJS files require. They then share one
// CommonJS copy of the SDK core (`dist-cjs`) that nothing on the cold path can reach, and the
// ES-module files only they used are tree-shaken out of the DynamoDB chunks
// (tests/lambda/cold-http-imports.test.ts checks it; tests/lambda/s3-bundle.test.ts runs the
// bundled S3 adapter over HTTP). Nothing is passed between clients (each adapter builds its
// own), so two copies of the core are safe. The cost: a bigger bundle (about 0.5 MB: that
// second core, and whole CommonJS clients that esbuild cannot tree-shake), loaded only by the
// work that uses them. The JSON clients (SQS, EventBridge, SES) stay ES modules: DynamoDB's
// protocol is theirs, they bring almost nothing the cold path does not load anyway, and their
// first use (jobs, the relay) stays tree-shaken.
import { builtinModules, createRequire } from 'node:module';

/** The SDK packages imported on first use whose protocols DynamoDB does not share. */
const LAZY_SDK_PACKAGES = /^@aws-sdk\/(client-s3|client-sns|s3-presigned-post|s3-request-presigner|nested-clients(\/[a-z0-9-]+)?)$/;
const SDK_COMMONJS_FILE = /[\\/]node_modules[\\/]@(aws-sdk|smithy|aws-crypto)[\\/].*[\\/]dist-cjs[\\/]/;
const BUILTINS = new Set(builtinModules);

export function lazyClientsOwnSdkCore() {
  return {
    name: 'lazy-clients-own-sdk-core',
    setup(b) {
      // Bare specifiers only (not relative, not absolute paths).
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || BUILTINS.has(args.path) || args.path.startsWith('node:')) return undefined;
        if (!LAZY_SDK_PACKAGES.test(args.path) && !SDK_COMMONJS_FILE.test(args.importer)) return undefined;
        return { path: createRequire(args.importer).resolve(args.path) };
      });
    },
  };
}
