// Preload for one cold probe (`node --import <this> bench/lib/probe-request.mjs ...`; what
// `bench/ab-cold-summary.ts --trace` runs): prints to stderr, for each HTTP request the bundle
// makes (DynamoDB's X-Amz-Target names the operation), when it started and ended, as wall ms
// since the process began and CPU ms since this preload ran. So the time before the first
// request (loading, building, the first command's set-up) and between round trips can be read
// apart. `globalThis.__trace?.('label')`, put in the source for an ad hoc build, adds a mark.
import dc from 'node:diagnostics_channel';

const cpu0 = process.cpuUsage();
const mark = (what) => {
  const c = process.cpuUsage(cpu0);
  process.stderr.write(`wall ${performance.now().toFixed(1).padStart(7)}  cpu ${((c.user + c.system) / 1000).toFixed(1).padStart(6)}  ${what}\n`);
};
const operation = (request) => request.getHeader('x-amz-target') ?? `${request.method} ${request.path}`;
dc.subscribe('http.client.request.start', ({ request }) => mark(`request ${operation(request)}`));
dc.subscribe('http.client.response.finish', ({ request }) => mark(`response ${operation(request)}`));
globalThis.__trace = mark;
mark('preload');
