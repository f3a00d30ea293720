import { Resource } from 'sst/resource';

/**
 * In AWS the function is linked (SST `link`) to the table, bus and signing-key secret; this
 * maps those linked resources onto the plain environment variables that loadConfig reads,
 * so the rest of the code never knows whether it runs on a laptop or in Lambda.
 */
interface Linked {
  Table?: { name: string };
  Bus?: { name: string };
  TokenSigningKey?: { value: string };
  JobQueue?: { url: string };
}

export function environmentFromLinks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const linked = Resource as unknown as Linked;
  const read = <T>(get: () => T): T | undefined => {
    try {
      return get();
    } catch {
      return undefined; // not linked (e.g. running the bundle outside AWS)
    }
  };
  return {
    ...env,
    TABLE_NAME: read(() => linked.Table?.name) ?? env.TABLE_NAME,
    EVENT_BUS_NAME: read(() => linked.Bus?.name) ?? env.EVENT_BUS_NAME,
    TOKEN_SIGNING_KEY: read(() => linked.TokenSigningKey?.value) ?? env.TOKEN_SIGNING_KEY,
    JOB_QUEUE_URL: read(() => linked.JobQueue?.url) ?? env.JOB_QUEUE_URL,
  };
}
