import { describe, expect, it } from 'vitest';
import { jsonAnswer } from './key-completion';

describe('jsonAnswer (what a keyed write stores for its retry to replay)', () => {
  it('a versioned resource: its ETag and, for a create, its Location', () => {
    expect(jsonAnswer(201, { id: 'r1' }, 3, '/v1/things/r1')).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', etag: '"3"', location: '/v1/things/r1' },
      body: '{"id":"r1"}',
    });
  });

  it('a resource without versions (an expense comment, an accepted invitation): no ETag, as its handler answers none', () => {
    expect(jsonAnswer(201, { id: 'c1' }, undefined, '/v1/c/c1')).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', location: '/v1/c/c1' },
      body: '{"id":"c1"}',
    });
    expect(jsonAnswer(200, {}, undefined).headers).toEqual({ 'content-type': 'application/json' });
  });
});
