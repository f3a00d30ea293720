import { finishDocument } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';

/**
 * The failures finishDocument adds to every operation, on a document of four hand-written
 * operations; the whole served document is checked in tests/unit/openapi/document.test.ts.
 */
const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const document = () => ({
  openapi: '3.1.0',
  paths: {
    '/health': { get: { operationId: 'getHealth', security: [], responses: { 200: { description: 'Up' } } } },
    '/v1/things/{thingId}': {
      get: {
        operationId: 'getThing',
        security: [{ bearerAuth: [] }],
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'The thing' }, 503: { description: 'Busy: the thing is being rebuilt; see Retry-After', content: problem } },
      },
    },
    '/v1/things/{thingId}/notes': {
      post: {
        operationId: 'addNote',
        security: [],
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string', maxLength: 26 } }],
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { 201: { description: 'Added' } },
      },
    },
    '/v1/things/{thingId}/archive': {
      post: {
        operationId: 'archiveThing',
        security: [{ bearerAuth: [] }],
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Archived' } },
      },
    },
  },
});
const finished = () => finishDocument(document(), 'http://localhost', { storeless: ['getHealth'] });

describe('finishDocument', () => {
  it('adds a 503 with Retry-After to every operation but the storeless ones, keeping a route\'s own text', () => {
    const doc = finished();
    expect(doc.paths['/health'].get.responses['503']).toBeUndefined();
    expect(doc.paths['/v1/things/{thingId}/notes'].post.responses['503']).toEqual({
      description: 'Temporarily unavailable; see Retry-After',
      content: problem,
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
        'Retry-After': { $ref: '#/components/headers/Retry-After' },
        'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
        Vary: { $ref: '#/components/headers/Vary' },
      },
    });
    const own = doc.paths['/v1/things/{thingId}'].get.responses['503'];
    expect(own.description).toBe('Busy: the thing is being rebuilt; see Retry-After');
    expect(own.headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
  });

  it('without a storeless list, gives every operation a 503 (none can hide one)', () => {
    const doc = finishDocument(document(), 'http://localhost');
    expect(doc.paths['/health'].get.responses['503']).toBeDefined();
  });

  it('adds 401 where a token is needed, 400 where input is checked, 413 and 415 with a body', () => {
    const doc = finished();
    const get = doc.paths['/v1/things/{thingId}'].get.responses;
    const post = doc.paths['/v1/things/{thingId}/notes'].post.responses;
    expect(get['401'].description).toBe('Missing, invalid or expired access token');
    // A path parameter of any string is never refused; one with a constraint may be.
    expect(get['400']).toBeUndefined();
    expect(post['401']).toBeUndefined();
    expect(Object.keys(post)).toEqual(['201', '400', '405', '406', '413', '415', '500', '503']);
    expect(doc.paths['/health'].get.responses['400']).toBeUndefined();
  });

  it('adds 413 and 415 to a POST without a body of its own: the app refuses a body past the limit or not JSON sent to it all the same', () => {
    const archive = finished().paths['/v1/things/{thingId}/archive'].post.responses;
    expect(Object.keys(archive)).toEqual(['200', '401', '405', '406', '413', '415', '429', '500', '503']);
    expect(finished().paths['/health'].get.responses['413']).toBeDefined();
    expect(archive['415'].description).toBe('Wrong Content-Type');
  });

  it('adds the 500 internal-error problem to every operation, a storeless one too: any route may meet a defect', () => {
    const doc = finished();
    for (const op of [doc.paths['/health'].get, doc.paths['/v1/things/{thingId}'].get, doc.paths['/v1/things/{thingId}/archive'].post]) {
      expect(op.responses['500'].content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
      expect(op.responses['500'].description).toContain('`internal-error`');
    }
  });

  it('adds the 406 answer-too-large problem to every operation: any answer may be too large to send', () => {
    const doc = finished();
    expect(doc.paths['/health'].get.responses['406'].content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    expect(doc.paths['/v1/things/{thingId}'].get.responses['406'].description).toContain('`answer-too-large`');
  });
});
