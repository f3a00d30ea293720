import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './idempotency-key';

/**
 * What counts as "the same body" for an Idempotency-Key. HTTP behaviour (replay vs 422) is in
 * tests/integration/platform/idempotency-fingerprint.test.ts.
 */
const JSON_TYPE = 'application/json';

describe('requestFingerprint', () => {
  it.each([
    ['keys in another order', '{"b":1,"a":2}', '{"a":2,"b":1}'],
    ['nested keys in another order', '{"x":{"b":[{"d":1,"c":2}],"a":null}}', '{"x":{"a":null,"b":[{"c":2,"d":1}]}}'],
    ['other whitespace', '{"a":[1,2]}', ' {\n\t"a" : [ 1 , 2 ]\r\n} '],
    ['other number and string spellings', '{"a":1.0,"s":"\\u0041"}', '{"a":1,"s":"A"}'],
  ])('is the same for JSON with %s', (_name, one, other) => {
    expect(requestFingerprint(JSON_TYPE, one)).toBe(requestFingerprint(JSON_TYPE, other));
  });

  it.each([
    ['a charset parameter', 'application/json; charset=utf-8'],
    ['upper case', 'Application/JSON'],
    ['spaces', ' application/json ;charset="UTF-8"'],
  ])('ignores a media type with %s', (_name, contentType) => {
    expect(requestFingerprint(contentType, '{"a":1}')).toBe(requestFingerprint(JSON_TYPE, '{"a":1}'));
  });

  it('canonicalizes +json media types too', () => {
    const type = 'application/merge-patch+json';
    expect(requestFingerprint(type, '{"b":1,"a":2}')).toBe(requestFingerprint(type, '{"a":2,"b":1}'));
  });

  it.each([
    ['another value', '{"amount":1}', '{"amount":2}'],
    ['another type of value', '{"amount":1}', '{"amount":"1"}'],
    ['arrays in another order', '{"a":[1,2]}', '{"a":[2,1]}'],
    ['a missing field', '{"a":1,"b":null}', '{"a":1}'],
    ['a nested difference', '{"x":{"y":[{"z":1}]}}', '{"x":{"y":[{"z":2}]}}'],
  ])('differs for JSON with %s', (_name, one, other) => {
    expect(requestFingerprint(JSON_TYPE, one)).not.toBe(requestFingerprint(JSON_TYPE, other));
  });

  it('differs for another media type', () => {
    expect(requestFingerprint('text/csv', '1')).not.toBe(requestFingerprint(JSON_TYPE, '1'));
  });

  it('falls back to the raw text for a body that is not JSON, or not declared as JSON', () => {
    expect(requestFingerprint(JSON_TYPE, '{"a":1')).toBe(requestFingerprint(JSON_TYPE, '{"a":1'));
    expect(requestFingerprint(JSON_TYPE, '{"a":1')).not.toBe(requestFingerprint(JSON_TYPE, '{"a": 1'));
    expect(requestFingerprint('text/csv', 'a,b\n1,2')).not.toBe(requestFingerprint('text/csv', 'a, b\n1,2'));
    // Declared as CSV, JSON-looking text is not reinterpreted.
    expect(requestFingerprint('text/csv', '{"b":1,"a":2}')).not.toBe(requestFingerprint('text/csv', '{"a":2,"b":1}'));
  });

  it('fingerprints hostile nesting raw instead of overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(requestFingerprint(JSON_TYPE, deep)).toBe(requestFingerprint(JSON_TYPE, deep));
    expect(requestFingerprint(JSON_TYPE, deep)).not.toBe(requestFingerprint(JSON_TYPE, ` ${deep}`));
  });

  it('treats a missing content type as an empty media type, with the raw body', () => {
    expect(requestFingerprint(undefined, '{"b":1,"a":2}')).not.toBe(requestFingerprint(undefined, '{"a":2,"b":1}'));
  });
});
