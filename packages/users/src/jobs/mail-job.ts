import { claimedOnce, isLocale, type Clock, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from '../repository/keys';
import type { UsersRepository } from '../repository/users.repository';

/** What create-module.ts hands each mail job to build its repositories on. */
export interface MailJobParts {
  store: ModuleStore;
  keys: UsersKeys;
  users: UsersRepository;
  clock: Clock;
}

/**
 * How long a notice mail's done mark is kept: past every redelivery of its unit (the job queue
 * keeps a message and its dead letters 14 days).
 */
export const MAIL_ONCE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** A unit's mail id when its mail is to go once however often the unit is handed (sentOnce); undefined: no such guard. */
export type MailIdOf<U> = (unit: U) => string | undefined;

/**
 * A unit's `locale` (the recipient's profile locale, the mail's language) as `{ locale }` when it
 * is a locale, else nothing (English): a unit from before locales, or a malformed one, still sends its mail.
 */
export function unitLocale(value: unknown): { locale?: string } {
  return typeof value === 'string' && isLocale(value) ? { locale: value } : {};
}

/** A module mailer: works one unit in the job's invocation and says how many mails it sent (0 or 1). */
export interface UnitMailer<U> {
  work(unit: U, now: Date): Promise<number>;
}

/**
 * A mail as a fan-out job without a schedule (the password reset's, the email change's): a
 * request queues one unit, and the lookup and the send happen here, in another invocation. A
 * send that fails throws: the unit is delivered again and the same mail is sent. The mails sent
 * are the unit's work done (the job's metrics). `once`: for units no runner claim covers (queued
 * by a subscriber, not relayed), the mail goes once per `mailIdOf(unit)` however often the queue
 * hands the unit (sentOnce).
 */
export function mailJob<U>(name: string, mailer: UnitMailer<U>, parseUnit: (raw: unknown) => U, once?: { parts: MailJobParts; mailIdOf: MailIdOf<U> }): FanOutJob<U> {
  return {
    name,
    async work(unit, now) {
      const mailId = once?.mailIdOf(unit);
      if (!once || mailId === undefined) return { done: await mailer.work(unit, now) };
      return { done: await sentOnce(once.parts, name, mailId, () => mailer.work(unit, now)) };
    },
    parseUnit,
  };
}

/**
 * A notice unit's mail sent once per mail id however often the queue hands the unit: SQS
 * delivers at least once, and a unit queued by a subscriber (not a relayed stream item) has no
 * claim of the runner's, so two receives of one message (at once, or after a lost delete) each
 * mailed. The send runs under platform claimedOnce on `users#mail-once#<mailId>`: a second
 * receive while the first sends fails (DeliveryInFlightError: handed again later), one after it
 * sends nothing. Left: a process dying between the send and the mark sends it again once the
 * claim has lapsed. Two writes per notice. The number of mails sent.
 */
export async function sentOnce(parts: MailJobParts, job: string, mailId: string, send: () => Promise<number>): Promise<number> {
  let sent = 0;
  const item = { Key: parts.keys.mailOnce(mailId), kind: 'mail-once', fields: { job, mailId }, retentionSeconds: MAIL_ONCE_RETENTION_SECONDS };
  await claimedOnce(parts.store, item, parts.clock, async () => {
    sent = await send();
  });
  return sent;
}
