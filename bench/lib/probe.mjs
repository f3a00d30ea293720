// One cold start, in a fresh `node` process: import the bundle once, then answer one
// GET /health as API Gateway (HTTP API, payload 2.0) would deliver it. Prints
// {"importMs", "firstResponseMs"} measured from just before the import, so Node's own
// start-up (the same for every bundle) is left out.
//   node bench/lib/probe.mjs <bundle.mjs> <apigw-v2-event.json>
import { readFileSync } from 'node:fs';
import { timedColdStart } from './timed-cold-start.mjs';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
event.rawPath = '/health';
event.requestContext.http.path = '/health';
event.requestContext.http.method = 'GET';

// process.hrtime is on the same monotonic clock as V8's CPU profile timestamps, so the
// bench's --explain can split a profile into the import and the first response.
const hr = () => Number(process.hrtime.bigint() / 1000n);
const marks = { start: hr() };
const { response, times } = await timedColdStart(bundle, event, (name) => (marks[name] = hr()));

if (response?.statusCode !== 200) {
  console.error(`GET /health answered ${response?.statusCode}: ${response?.body}`);
  process.exit(2);
}
process.stdout.write(
  JSON.stringify({
    ...times,
    marks,
  }),
);
process.exit(0);
