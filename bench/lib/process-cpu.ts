import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU ms (user + system) so far of the java process serving DynamoDB Local on `endpoint`'s port
 * (the one startDynamoDbLocal spawned: `-port <n>` on its command line), from /proc; NaN when
 * there is none (another endpoint, or not Linux). On a machine shared with other work, CPU per
 * row is steadier than rows per second.
 */
export function dynamoDbLocalCpuMs(endpoint: string): number {
  const pid = dynamoDbLocalPid(endpoint);
  return pid === undefined ? Number.NaN : processCpuMs(pid);
}

/**
 * A reader of DynamoDB Local's CPU ms (as dynamoDbLocalCpuMs) that finds its process once, for
 * reading often (a scan of /proc per read costs more than the few calls between two reads).
 */
export function dynamoDbLocalCpuReader(endpoint: string): () => number {
  const pid = dynamoDbLocalPid(endpoint);
  return () => (pid === undefined ? Number.NaN : processCpuMs(pid));
}

/** The java process serving DynamoDB Local on `endpoint`'s port, if it is on this machine. */
function dynamoDbLocalPid(endpoint: string): string | undefined {
  const port = new URL(endpoint).port;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('java') && cmd.includes(`-port\0${port}\0`)) return pid;
    } catch {
      // a process that ended meanwhile
    }
  }
  return undefined;
}

/** CPU ms (user + system) so far of process `pid`, from /proc (NaN once it has ended). */
function processCpuMs(pid: string): number {
  try {
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms (user + system) of this process since `since` (process.cpuUsage()). */
export function ownCpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
