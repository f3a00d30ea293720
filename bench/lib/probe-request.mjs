// One cold start answering one real request, in a fresh `node` process: import the bundle,
// then hand it one API Gateway (HTTP API, payload 2.0) event for METHOD PATH with an optional
// bearer token. Prints {"importMs", "firstResponseMs", "importCpuMs", "firstResponseCpuMs",
// "bytesLoaded"} measured from just before the import.
//   node bench/lib/probe-request.mjs <bundle.mjs> <apigw-v2-event.json> <METHOD> <PATH> [token] [--bytes]
// With --bytes, a loader hook also counts the bytes of every module file loaded before the
// answer (slower: run it apart from the timed runs).
import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { timedColdStart } from './timed-cold-start.mjs';

const [bundle, eventFile, method, path, token, bytesFlag] = process.argv.slice(2);
const loaded = new Map();
if (bytesFlag === '--bytes' || token === '--bytes') {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m) => loaded.set(m.url, m.bytes));
  port1.unref();
  register(new URL('./count-loaded-hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
}
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const [rawPath, rawQueryString = ''] = path.split('?');
event.rawPath = rawPath;
event.rawQueryString = rawQueryString;
event.queryStringParameters = rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined;
event.requestContext.http.path = rawPath;
event.requestContext.http.method = method;
event.body = undefined;
event.isBase64Encoded = false;
event.headers = { host: 'bench.example.com', ...(token && token !== '--bytes' ? { authorization: `Bearer ${token}` } : {}) };

const { response, times } = await timedColdStart(bundle, event);

if (response?.statusCode !== 200) {
  console.error(`${method} ${path} answered ${response?.statusCode}: ${response?.body}`);
  process.exit(2);
}
await new Promise((r) => setTimeout(r, 50)); // the hooks thread's last messages
const bundleDir = pathToFileURL(bundle).href.replace(/[^/]+$/, '');
// BENCH_LOADED_DIR=<dir>: also write which bundle files were loaded, to <dir>/<bundle dir>.json
// (with the build metafile, a list to break the bytes down by package or source file).
if (process.env.BENCH_LOADED_DIR && loaded.size > 0) {
  const files = [...loaded].filter(([url]) => url.startsWith(bundleDir));
  writeFileSync(`${process.env.BENCH_LOADED_DIR}/${bundleDir.split('/').at(-2)}.json`, JSON.stringify(files));
}
process.stdout.write(
  JSON.stringify({
    ...times,
    bytesLoaded: [...loaded].filter(([url]) => url.startsWith(bundleDir)).reduce((s, [, b]) => s + b, 0),
  }),
);
process.exit(0);
