import { createServer } from 'node:net';

/**
 * Whether a TCP port can be listened on (all interfaces, as the API server and DynamoDB
 * Local do). Checked before anything starts, so a busy port is one clear message instead of
 * a stack trace after "ready", or (DynamoDB Local) silently talking to another instance.
 */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err),
    );
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** A port number from an environment variable, or a clear error naming the variable. */
export function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a port number (1-65535).`);
  return port;
}
