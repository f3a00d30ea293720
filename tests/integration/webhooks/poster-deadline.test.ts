import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPoster } from '../../../packages/webhooks/src/service/http-poster';

/**
 * A receiver that never finishes its answer must not hold a delivery worker: the 10 s are a
 * deadline on the whole exchange, not an idle timeout that a byte every few seconds resets.
 * The poster is given a short deadline here; a poster without one makes these tests hang until
 * vitest's timeout fails them (no timing is asserted).
 */
const DEADLINE_MS = 300;
const TRICKLE_MS = 40;

const servers: (HttpServer | TcpServer)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.close();
    if ('closeAllConnections' in s) s.closeAllConnections();
  }
});
const listen = async <S extends HttpServer | TcpServer>(server: S): Promise<string> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
};

describe('a webhook attempt against a receiver that never finishes', () => {
  it('a 200 whose body trickles on forever: the status counts, the body is cut off at the deadline', async () => {
    const url = await listen(
      createHttpServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('x'), TRICKLE_MS);
        res.on('close', () => clearInterval(timer));
      }),
    );
    const result = await createPoster({ mode: 'local' }, Date.now, DEADLINE_MS)(url, {}, '{}');
    expect(result).toMatchObject({ status: 200, error: null });
  }, 10_000);

  it('a status line and headers sent a byte at a time: no status, an error saying so', async () => {
    const url = await listen(
      createTcpServer((socket) => {
        socket.on('error', () => undefined);
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => socket.write('X'), TRICKLE_MS);
        socket.on('close', () => clearInterval(timer));
      }),
    );
    const result = await createPoster({ mode: 'local' }, Date.now, DEADLINE_MS)(url, {}, '{}');
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/no response within/);
  }, 10_000);

  it('a huge body is not read to its end: the status is taken after the first 64 KiB', async () => {
    const url = await listen(
      createHttpServer((req, res) => {
        req.resume();
        res.writeHead(201, { 'content-type': 'text/plain' });
        // 1 MiB chunks as fast as the socket takes them, without end.
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      }),
    );
    const result = await createPoster({ mode: 'local' }, Date.now, 60_000)(url, {}, '{}');
    expect(result).toMatchObject({ status: 201, error: null });
  }, 10_000);
});
