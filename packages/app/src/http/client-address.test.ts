import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address';

describe('clientAddressOf', () => {
  it('takes API Gateway\'s sourceIp from the Lambda event', () => {
    expect(clientAddressOf({ event: { requestContext: { http: { sourceIp: '203.0.113.7' } } } })).toBe('203.0.113.7');
  });

  it('takes the socket peer from the local server\'s request', () => {
    expect(clientAddressOf({ incoming: { socket: { remoteAddress: '::1' } } })).toBe('::1');
  });

  it('has no address for in-process requests or odd values', () => {
    expect(clientAddressOf(undefined)).toBeUndefined();
    expect(clientAddressOf({})).toBeUndefined();
    expect(clientAddressOf({ event: { requestContext: { http: { sourceIp: 42 } } } })).toBeUndefined();
    expect(clientAddressOf({ event: { requestContext: { http: { sourceIp: 'x'.repeat(65) } } } })).toBeUndefined();
  });
});
