// The measured part of a cold-start probe: import the bundle, then hand its handler `event`.
// Wall and CPU times (CPU of the process, all threads: less disturbed than wall time when other
// work competes for the machine's cores) are taken from just before the import, so Node's own
// start-up (the same for every bundle) is left out. `mark(name)` is called right after the
// import ('imported') and the answer ('answered'), for probes that record their own clock.
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const cpuMs = (diff) => (diff.user + diff.system) / 1000;

export async function timedColdStart(bundle, event, mark = () => {}) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const mod = await import(pathToFileURL(bundle).href);
  const imported = performance.now();
  const importCpu = process.cpuUsage(cpu);
  mark('imported');
  const response = await mod.handler(event, lambdaContext);
  const answered = performance.now();
  const totalCpu = process.cpuUsage(cpu);
  mark('answered');
  return {
    response,
    times: {
      importMs: imported - start,
      firstResponseMs: answered - start,
      importCpuMs: cpuMs(importCpu),
      firstResponseCpuMs: cpuMs(totalCpu),
    },
  };
}
