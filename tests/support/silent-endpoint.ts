import { createServer, type Socket } from 'node:net';

/**
 * An AWS endpoint that accepts every connection and never answers (a lost packet, a stuck
 * connection), pointed at by the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` setting, so a client
 * built as in AWS (region only) talks to it. `connections`: how many attempts reached it.
 */
export async function silentEndpoint(service: string) {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const saved = { ...process.env };
  process.env[`AWS_ENDPOINT_URL_${service}`] = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.length,
    async close() {
      // Key by key: a plain object put in place of process.env would end TZ's hold on the process's time zone.
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
