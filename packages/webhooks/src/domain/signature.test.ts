import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newSecret, signedHeaders } from './signature';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ type: 'expense.recorded', data: { amount: 1250 } });

  it("verify with the package's Webhook.verify, and fail once the body changes", () => {
    const secret = newSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signedHeaders('msg_1', new Date(), body, [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('1250', '1251'), { ...headers })).toThrow();
  });

  it('during a rotation, both the new and the previous secret verify', () => {
    const [fresh, previous, other] = [newSecret(), newSecret(), newSecret()];
    const headers = signedHeaders('msg_2', new Date(), body, [fresh, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(fresh).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow();
  });
});
