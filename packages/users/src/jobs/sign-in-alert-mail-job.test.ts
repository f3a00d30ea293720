import { describe, expect, it } from 'vitest';
import type { MailJobParts } from './mail-job';
import { signInAlertMailJob } from './sign-in-alert-mail-job';

/** parseUnit reads neither the repositories nor the sender: none are made. */
const job = signInAlertMailJob({} as MailJobParts, { send: async () => undefined });
const base = { userId: 'U1', eventId: 'E1', at: '2026-07-01T18:30:00.000Z', device: 'Chrome on Windows', network: '203.0.113.x' };

describe('the sign-in alert unit', () => {
  it('keeps whole device parts: a family or a kind, with or without an OS', async () => {
    for (const deviceParts of [{ family: 'Chrome', os: 'Windows' }, { family: 'curl' }, { kind: 'app', os: 'Android' }, { kind: 'unknown' }]) {
      expect(await job.parseUnit({ ...base, deviceParts })).toEqual({ ...base, deviceParts });
    }
  });

  it('a unit from before the parts is read as before', async () => {
    expect(await job.parseUnit(base)).toEqual(base);
  });

  it('drops malformed parts instead of the mail: the English device is shown', async () => {
    for (const deviceParts of [null, 'Chrome', { family: 'Chrome', kind: 'app' }, { kind: 'robot' }, { family: '' }, { family: 'x'.repeat(41) }, { family: 'Chrome', os: 7 }, {}]) {
      expect(await job.parseUnit({ ...base, deviceParts })).toEqual(base);
    }
  });

  it('still refuses a unit without the English device', async () => {
    const { device: _device, ...withoutDevice } = base;
    await expect(async () => job.parseUnit({ ...withoutDevice, deviceParts: { family: 'Chrome' } })).rejects.toThrow(/a device/);
  });
});
