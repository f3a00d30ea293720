import type { EventEmitter } from 'node:events';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PLATFORM_PROBLEMS, PROBLEM_CONTENT_TYPE, ProblemError } from '@budgeting/platform';

/**
 * `npm start` only. Node's HTTP parser refuses some requests before Hono sees them (a header block
 * over --max-http-header-size, a malformed request line, a bad header character or chunk size,
 * Content-Length together with Transfer-Encoding), and by default answers them with a bare
 * `400 Bad Request` / `431` without a body: the one kind of error of this API that is not a
 * problem+json. In AWS the same requests never reach the app (API Gateway parses them), so this is
 * local behaviour only; the mapping follows Node's own (lib/_http_server.js, socketOnError), with
 * the statuses and problem types the app's error handler gives Hono's refusals (400: bad-request,
 * another 4xx: http-error with that status).
 */

/** What the parser's error asks for, or undefined when there is nothing to answer (the client went away). */
export function problemForClientError(err: NodeJS.ErrnoException): ProblemError | undefined {
  const code = err.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') {
    // serve() keeps Node's default limit (16 KiB unless --max-http-header-size changes it).
    const detail = `The request line and headers exceed ${maxHeaderSize} bytes.`;
    return new ProblemError(PLATFORM_PROBLEMS['http-error'], detail, { errors: [{ path: 'headers', message: detail }] }, 431);
  }
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
    return new ProblemError(PLATFORM_PROBLEMS['payload-too-large'], 'The chunk extensions of the request body are too large.');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ProblemError(PLATFORM_PROBLEMS['http-error'], 'The request was not received in time.', {}, 408);
  }
  if (code.startsWith('HPE_')) {
    // llhttp's reason ("Invalid header token", "Invalid character in chunk size"...) says which part is bad.
    const reason = (err as { reason?: string }).reason ?? err.message;
    return new ProblemError(PLATFORM_PROBLEMS['bad-request'], `The request is not valid HTTP/1.1: ${reason}.`);
  }
  return undefined; // ECONNRESET and the like: the socket is gone or going
}

/** A complete HTTP/1.1 answer: written straight to the socket, since no response object exists. */
export function rawProblemAnswer(problem: ProblemError): string {
  const body = JSON.stringify(problem.toBody());
  return [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? problem.title}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    // The parser's state is lost: nothing more can be read from this connection.
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** `server`: the node:http server @hono/node-server's serve() returns. Replaces Node's bodyless answers to requests it cannot parse with problems (a 'clientError' listener disables Node's own). */
export function answerMalformedRequestsWithProblems(server: EventEmitter): void {
  // More bytes after the refusal make the parser report its error again: the answer is already on its way.
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    const problem = problemForClientError(err);
    // A response already begun (an error in the body of a request being answered) cannot be replaced.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (problem && socket.writable && !inFlight?.headersSent) {
      // end, not write + destroy: the answer is flushed before the socket closes.
      answered.add(socket);
      socket.end(rawProblemAnswer(problem));
      // A client that never closes its side must not hold the socket open.
      setTimeout(() => socket.destroy(), 1_000).unref();
    } else {
      socket.destroy();
    }
  });
}
