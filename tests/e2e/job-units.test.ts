import type { EmailMessage } from '@budgeting/platform';
import { userRegistered } from '@budgeting/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/actors';
import { call } from '../support/http';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * A job unit written in a change's transaction (the password-reset mail's), end to end as
 * `npm start` runs: the local stream poller hands it to the work queue. Exactly once on this
 * normal path: the e2e system's stream poller is the relay, so nothing else may relay it too.
 */
// Every send recorded (a folder sender would write a mail sent twice to the same file).
const sent: EmailMessage[] = [];
let e2e: E2eSystem;

beforeAll(async () => {
  e2e = await startE2eSystem([userRegistered], { mail: { send: async (message) => void sent.push(message) } });
});
afterAll(() => e2e?.stop());

const mailsTo = (to: string) => sent.filter((m) => m.to === to);

describe('a job unit written with its change, end to end', { timeout: 60_000 }, () => {
  it('is relayed by the stream poller and mailed once', async () => {
    const { t } = e2e;
    const alice = await signUp(t.app, 'alice');
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: alice.email } })).status).toBe(202);
    await e2e.settled();
    expect(mailsTo(alice.email)).toHaveLength(1);
  });
});
