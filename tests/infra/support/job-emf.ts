import { createJobMetrics } from '../../../packages/app/src/jobs/metrics';

/**
 * The CloudWatch namespace the jobs' figures land in for `stage`, read from a real EMF line
 * that the app's job metrics (Powertools) write, so the alarms and graphs are checked against
 * what the code emits rather than against a constant both sides could get wrong together.
 */
export async function emittedJobNamespace(stage: string): Promise<string> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const metrics = createJobMetrics({ emit: true, stage });
    await metrics.ready();
    metrics.count('probe', 'DueUnits', 1);
  } finally {
    process.stdout.write = write;
  }
  const emf = lines.map((l) => JSON.parse(l) as { _aws?: { CloudWatchMetrics?: { Namespace: string }[] } }).find((d) => d._aws);
  const namespace = emf?._aws?.CloudWatchMetrics?.[0]?.Namespace;
  if (!namespace) throw new Error(`no EMF line was written: ${lines.join('')}`);
  return namespace;
}
