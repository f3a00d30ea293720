import { isLocale, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from '../repository/keys';
import type { UsersRepository } from '../repository/users.repository';

/** What create-module.ts hands each mail job to build its repositories on. */
export interface MailJobParts {
  store: ModuleStore;
  keys: UsersKeys;
  users: UsersRepository;
}

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
 * are the unit's work done (the job's metrics).
 */
export function mailJob<U>(name: string, mailer: UnitMailer<U>, parseUnit: (raw: unknown) => U): FanOutJob<U> {
  return {
    name,
    async work(unit, now) {
      return { done: await mailer.work(unit, now) };
    },
    parseUnit,
  };
}
