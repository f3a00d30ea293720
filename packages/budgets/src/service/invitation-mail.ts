import type { EmailMessage } from '@budgeting/platform';
import { INVITATION_TTL_SECONDS, type Invitation } from '../model';

/**
 * The invitation mail: who invites to which budget with which role, the code to enter in the
 * app (POST /v1/invitations/accept) and, with INVITATION_URL, a link carrying it (the app
 * opens it and accepts), its lifetime, and "ignore it if unexpected". Names are the users'
 * own text: escaped in the HTML part.
 */
export function invitationEmail(input: {
  id: string;
  invitation: Invitation;
  budgetName: string;
  inviterName: string | null;
  token: string;
  acceptUrl?: string;
}): EmailMessage {
  const { invitation, budgetName, token } = input;
  const link = input.acceptUrl ? `${input.acceptUrl}${encodeURIComponent(token)}` : undefined;
  const who = input.inviterName ?? 'The owner of a budget';
  const days = INVITATION_TTL_SECONDS / (24 * 60 * 60);
  const role = invitation.role === 'editor' ? 'an editor (you can record expenses)' : 'a viewer (you can see it)';
  const text = [
    `${who} invites you to the budget "${budgetName}" as ${role}.`,
    '',
    ...(link ? ['To join, open this link and sign in (or create an account, with any email):', link, '', 'or enter this invitation code in the budgeting app:'] : []),
    ...(link ? [] : ['To join, sign in to the budgeting app (or create an account, with any email) and enter this invitation code:']),
    token,
    '',
    `The code works once and expires in ${days} days. Anyone who has it can join, so do not pass it on.`,
    '',
    'If you did not expect this, ignore this mail.',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(who)} invites you to the budget &quot;${escapeHtml(budgetName)}&quot; as ${escapeHtml(role)}.</p>`,
    ...(link
      ? [`<p>To join, <a href="${escapeHtml(link)}">open this link</a> and sign in (or create an account, with any email), or enter this invitation code in the budgeting app:</p>`]
      : ['<p>To join, sign in to the budgeting app (or create an account, with any email) and enter this invitation code:</p>']),
    `<p><code>${escapeHtml(token)}</code></p>`,
    `<p>The code works once and expires in ${days} days. Anyone who has it can join, so do not pass it on.</p>`,
    '<p>If you did not expect this, ignore this mail.</p>',
    '</body></html>',
  ].join('\n');
  return { id: input.id, to: invitation.email, subject: `Join the budget "${budgetName}"`, text, html };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Budget and account names are users' text: escaped in the HTML part. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
