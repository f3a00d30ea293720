import { describe, expect, it } from 'vitest';
import { clientAddressOf, receivedAtOf } from './client-address';

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

describe('receivedAtOf', () => {
  const now = 1_800_000_000_000;
  it("takes API Gateway's timeEpoch, when its 29 s started", () => {
    expect(receivedAtOf({ event: { requestContext: { timeEpoch: now - 4_000 } } }, now)).toBe(now - 4_000);
  });

  it('takes a timeEpoch ahead of this clock as now, and now without one', () => {
    expect(receivedAtOf({ event: { requestContext: { timeEpoch: now + 50 } } }, now)).toBe(now);
    expect(receivedAtOf({ incoming: { socket: { remoteAddress: '::1' } } }, now)).toBe(now);
    expect(receivedAtOf(undefined, now)).toBe(now);
    expect(receivedAtOf({ event: { requestContext: { timeEpoch: '1587481701067' } } }, now)).toBe(now);
  });
});
