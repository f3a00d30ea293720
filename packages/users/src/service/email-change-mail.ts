import { epochSeconds, mailHtml, type Clock, type EmailMessage, type EmailSender } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { EmailChangeMailUnit } from '../jobs/names';
import type { EmailChangesRepository } from '../repository/email-changes.repository';
import type { UsersRepository } from '../repository/users.repository';
import { EMAIL_CHANGE_TTL_SECONDS } from './email-change.service';
import type { ResetTokens } from './reset-tokens';

/**
 * The mail job's work for an email change (in its own invocation, never in the request).
 *
 * `code`: if the pending change is still the one the unit names and has not expired, and the
 * requester's account is neither gone nor suspended by support (then nothing is sent), the new
 * address gets the code; if another account has that address, it gets a notice WITHOUT a
 * code instead (nothing could be confirmed anyway), and the requester's own mailbox gets
 * nothing in either case, so the requester learns nothing about the address. The lookup is
 * here, not in the request, so the request's answer and work do not depend on it.
 *
 * `changed`: the old address is told that the account's email is now the new one, and what
 * to do if that was not them (queued per user.email_changed event, whose inbox keeps a
 * redelivered event from queueing it twice).
 *
 * Idempotent enough for a redelivery: the same unit sends the same message (same id) again.
 */
export class EmailChangeMailer {
  constructor(
    private readonly d: {
      users: UsersRepository;
      changes: EmailChangesRepository;
      tokens: ResetTokens;
      mail: EmailSender;
      /** Whether the change expired is asked of the clock: the unit's tick is the request's time. */
      clock: Clock;
    },
  ) {}

  /** The number of mails sent (0 or 1). */
  async work(unit: EmailChangeMailUnit): Promise<number> {
    if (unit.kind === 'changed') {
      await this.d.mail.send(changedNotice(unit.eventId, unit.previousEmail, unit.email, unit.locale));
      return 1;
    }
    const pending = await this.d.changes.get(unit.userId);
    // Replaced by a newer request (which queued its own unit), confirmed, or expired: nothing to
    // send. Expired by the clock, now: a unit delivered late (a backlog, a dead letter replayed)
    // carries the request's time as its tick, against which the change never looked expired (its
    // item stays until the lagging TTL), so a code the confirmation could only refuse went out.
    const secondsLeft = pending ? pending.expiresAt - epochSeconds(this.d.clock.now()) : 0;
    if (!pending || pending.changeId !== unit.changeId || secondsLeft <= 0) return 0;
    const [requester, holder] = await Promise.all([this.d.users.getById(unit.userId), this.d.users.findByEmail(pending.newEmail)]);
    // Suspended by support since the request (or deleted): nothing, as the reset's mail (support.md
    // "No mail to the user"). In a takeover the new address is the thief's, and no code could be
    // confirmed while the suspension lasts (it ended every session).
    if (!requester || requester.suspendedAt) return 0;
    if (holder && holder.id !== unit.userId) {
      await this.d.mail.send(addressInUseNotice(unit.changeId, pending.newEmail, holder.locale));
      return 1;
    }
    // Late (a backlog, a retry): the mail states the whole minutes the code has left, not the 30
    // partly spent; under one minute it could state none it still has, and sends nothing.
    const minutesLeft = Math.min(MINUTES, Math.floor(secondsLeft / 60));
    if (minutesLeft < 1) return 0;
    await this.d.mail.send(codeMail(unit.changeId, pending.newEmail, this.d.tokens.tokenFor(unit.changeId), unit.locale, minutesLeft));
    return 1;
  }
}

const MINUTES = EMAIL_CHANGE_TTL_SECONDS / 60;

/*
 * Each mail in the words of its recipient's profile `locale` (platform locale-messages.ts: en,
 * de, fr, es; any other language or none: English, byte for byte the text before locales).
 */

/** To the NEW address: the code, its lifetime (`minutes`: what is left of it), and "ignore it if it was not you". `locale`: the requester's. */
export function codeMail(changeId: string, to: string, token: string, locale?: string | null, minutes = MINUTES): EmailMessage {
  const { fill, lang } = localeMessages(locale);
  const lines = [
    fill('emailChange.code.asked'),
    '',
    fill('emailChange.code.enter'),
    token,
    '',
    fill('emailChange.code.expires', { minutes }),
    '',
    fill('emailChange.code.notYou'),
  ];
  return message(`email-change-${changeId}`, to, lang, fill('emailChange.code.subject'), lines, token);
}

/** To a NEW address another account already has: no code, nothing to confirm. `locale`: that account's. */
export function addressInUseNotice(changeId: string, to: string, locale?: string | null): EmailMessage {
  const { fill, lang } = localeMessages(locale);
  const lines = [fill('emailChange.inUse.exists'), '', fill('emailChange.inUse.ifYou'), '', fill('emailChange.inUse.notYou')];
  return message(`email-change-in-use-${changeId}`, to, lang, fill('emailChange.inUse.subject'), lines);
}

/** To the OLD address once the change is done: what happened, and what to do if it was not you. `locale`: the account's. */
export function changedNotice(eventId: string, to: string, newEmail: string, locale?: string | null): EmailMessage {
  const { fill, lang } = localeMessages(locale);
  const lines = [fill('emailChange.changed.body', { email: newEmail }), '', fill('emailChange.changed.notYou')];
  return message(`email-changed-${eventId}`, to, lang, fill('emailChange.changed.subject'), lines);
}

/** The text part line by line; the HTML part the same paragraphs, escaped, the code as <code>, declaring `lang` (the words' language). */
function message(id: string, to: string, lang: string, subject: string, lines: string[], code?: string): EmailMessage {
  const body = lines
    .filter((l) => l !== '')
    .map((l) => (l === code ? `<p><code>${escapeHtml(l)}</code></p>` : `<p>${escapeHtml(l)}</p>`))
    .join('\n');
  return { id, to, subject, text: lines.join('\n'), html: mailHtml(lang, subject, body) };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
