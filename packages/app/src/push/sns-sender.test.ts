import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PushMessage, PushPlatform } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { folderPushSender } from './folder-sender';
import { snsPushSender } from './sns-sender';

/**
 * What SNS is handed for a device. APNs refuses a notification payload over 4,096 bytes and FCM
 * a message over 4,096 bytes (SNS answers the Publish "Invalid notification for protocol APNS:
 * Notification is too long"); the local folder takes anything, so a push that worked under
 * `npm start` failed every retry in AWS, then went to the dead letters.
 */
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'p-1' });
});

/** A bill reminder for a recurring expense described by the API's longest description (500 characters), each 4 bytes of UTF-8. */
const what = '💸'.repeat(500);
const longBill: PushMessage = {
  id: 'bill-n1-d1',
  title: `${what} is due tomorrow`,
  body: `${what}: 1200.00 EUR due tomorrow (2026-12-01) in Household.`,
  data: { notificationId: '01JNOTIFICATION00000000001', kind: 'bill.due_soon', budgetId: '01JBUDGET0000000000000001', recurringExpenseId: '01JRECURRING0000000000001', dueOn: '2026-12-01' },
};

/** The platform's own payload in the Publish: APNS (and its sandbox) or GCM. */
async function published(platform: PushPlatform, message: PushMessage): Promise<string> {
  sns.resetHistory();
  const sender = snsPushSender({ region: 'eu-west-1', applications: {}, client: new SNSClient({ region: 'eu-west-1' }) });
  await sender.send('arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/budgets/1', platform, message);
  const sent = JSON.parse(String(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message)) as Record<string, string>;
  return platform === 'apns' ? sent.APNS! : sent.GCM!;
}

describe('snsPushSender: the payload each platform takes', () => {
  it("stays within APNs' and FCM's 4,096 bytes for the longest text a member can write, shortened with an ellipsis", async () => {
    for (const platform of ['apns', 'fcm'] as const) {
      const payload = await published(platform, longBill);
      expect(Buffer.byteLength(payload, 'utf8'), platform).toBeLessThanOrEqual(4096);
      const parsed = JSON.parse(payload) as { aps?: { alert: { title: string; body: string } }; notification?: { title: string; body: string }; data?: unknown };
      const { title, body } = parsed.aps?.alert ?? parsed.notification!;
      // Each starts as written and says it was cut; the app's data (which ids it opens) is whole.
      expect(title.startsWith('💸💸💸') && body.startsWith('💸💸💸'), platform).toBe(true);
      expect(body.endsWith('…'), platform).toBe(true);
      expect(platform === 'apns' ? parsed : parsed.data, platform).toMatchObject(longBill.data);
    }
  });

  it('cuts between characters as a reader sees them: never inside a family emoji, a flag or an accented letter', async () => {
    // Each is one character on screen but several code points: a ZWJ family (5), a flag (2), e + a combining acute (2).
    for (const character of ['👨\u200d👩\u200d👧', '🇩🇪', 'e\u0301']) {
      // About 2,500 bytes: the title fits, the body (the name again, and more) is cut.
      const name = character.repeat(Math.ceil(2500 / Buffer.byteLength(character)));
      const message: PushMessage = { ...longBill, title: `${name} is due tomorrow`, body: `${name}: 1200.00 EUR due tomorrow (2026-12-01) in Household.` };
      for (const platform of ['apns', 'fcm'] as const) {
        const parsed = JSON.parse(await published(platform, message)) as { aps?: { alert: { title: string; body: string } }; notification?: { title: string; body: string } };
        const { title, body: cut } = parsed.aps?.alert ?? parsed.notification!;
        expect(title, platform).toBe(message.title);
        {
          expect(cut.endsWith('…'), platform).toBe(true);
          // What is kept before the "…" is whole characters only.
          const kept = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(cut.slice(0, -1))].map((s) => s.segment);
          expect(kept.length, platform).toBeGreaterThan(0);
          expect(kept.filter((s) => s !== character), `${platform}: ${JSON.stringify(character)}`).toEqual([]);
        }
      }
    }
  });

  it('passes a push that fits as it was written', async () => {
    const short: PushMessage = { id: 'bill-n2-d1', title: 'Rent is due tomorrow', body: 'Rent: 1200.00 EUR due tomorrow (2026-12-01) in Household.', data: { notificationId: 'n2' } };
    expect(JSON.parse(await published('apns', short))).toEqual({ aps: { alert: { title: short.title, body: short.body } }, notificationId: 'n2' });
  });

  it('the local folder keeps the text the device would get (the same shortening)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'push-'));
    await folderPushSender({ dir }).send('local:apns:t', 'apns', longBill);
    const written = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as { title: string; body: string };
    const { aps } = JSON.parse(await published('apns', longBill)) as { aps: { alert: { title: string; body: string } } };
    expect({ title: written.title, body: written.body }).toEqual(aps.alert);
  });
});
