import { mailHtml, type EmailMessage } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import { INVITATION_TTL_SECONDS, type Invitation } from '../model';

/**
 * The invitation mail: who invites to which budget with which role, the code to enter in the
 * app (POST /v1/invitations/accept) and, with INVITATION_URL, a link carrying it (the app
 * opens it and accepts), its lifetime (what is left of it when the mail goes), and "ignore it if unexpected". Names are the users'
 * own text: escaped in the HTML part.
 *
 * In the words of `locale` (platform locale-messages.ts: en, de, fr, es; any other language or
 * none: English, byte for byte the text before locales): the job passes the invitee's profile
 * locale when the address has an account, else the inviter's (jobs/invitation-mail-job.ts).
 */
export function invitationEmail(input: {
  id: string;
  invitation: Invitation;
  budgetName: string;
  inviterName: string | null;
  token: string;
  acceptUrl?: string;
  locale?: string | null;
  /** What is left of the code's lifetime when the mail goes (at least an hour: invitationLifetimeLeft); absent: the whole 7 days. */
  secondsLeft?: number;
}): EmailMessage {
  const { invitation, budgetName, token } = input;
  const { fill, plural, lang } = localeMessages(input.locale);
  const link = input.acceptUrl ? `${input.acceptUrl}${encodeURIComponent(token)}` : undefined;
  const invites = fill('invitation.email.invites', {
    who: input.inviterName ?? fill('invitation.email.someone'),
    budget: budgetName,
    role: fill(invitation.role === 'editor' ? 'invitation.email.role.editor' : 'invitation.email.role.viewer'),
  });
  const expires = lifetimeText(fill, plural, input.secondsLeft ?? INVITATION_TTL_SECONDS);
  const notExpected = fill('invitation.email.notExpected');
  const text = [
    invites,
    '',
    ...(link ? [fill('invitation.email.openLink'), link, '', fill('invitation.email.orCode')] : [fill('invitation.email.codeOnly')]),
    token,
    '',
    expires,
    '',
    notExpected,
  ].join('\n');
  const subject = fill('invitation.email.subject', { budget: budgetName });
  const body = [
    // Escaped whole: the names are users' text (escaping is per character, so the words' quotes become &quot; as before).
    `<p>${escapeHtml(invites)}</p>`,
    link
      ? `<p>${fill('invitation.email.linkHtml', { link: `<a href="${escapeHtml(link)}">${fill('invitation.email.linkLabel')}</a>` })}</p>`
      : `<p>${fill('invitation.email.codeOnly')}</p>`,
    `<p><code>${escapeHtml(token)}</code></p>`,
    `<p>${expires}</p>`,
    `<p>${notExpected}</p>`,
  ].join('\n');
  return { id: input.id, to: invitation.email, subject, text, html: mailHtml(lang, subject, body) };
}

const DAY = 24 * 60 * 60;
const HOUR = 60 * 60;

/**
 * The seconds an invitation's code has left at `now`, when a mail may still state them: a mail
 * sent late (a send failing for days, a dead letter replayed) must not say "7 days" of a code
 * with 3 left. Undefined under an hour: no lifetime worth stating, nothing is mailed.
 */
export function invitationLifetimeLeft(invitation: Pick<Invitation, 'expiresAt'>, now: Date): number | undefined {
  const seconds = Math.min(INVITATION_TTL_SECONDS, Math.floor((Date.parse(invitation.expiresAt) - now.getTime()) / 1000));
  return seconds >= HOUR ? seconds : undefined;
}

/** The whole days left from 2 days on ("expires in 3 days"), else the whole hours ("in 11 hours"): never more than is left. */
function lifetimeText(fill: LocaleMessages['fill'], plural: LocaleMessages['plural'], secondsLeft: number): string {
  if (secondsLeft >= 2 * DAY) return fill('invitation.email.expires', { days: Math.floor(secondsLeft / DAY) });
  const hours = Math.max(1, Math.floor(secondsLeft / HOUR));
  return fill(`invitation.email.expiresHours.${plural(hours)}`, { hours });
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Budget and account names are users' text: escaped in the HTML part. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
