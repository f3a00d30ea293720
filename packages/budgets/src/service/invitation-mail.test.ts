import { describe, expect, it } from 'vitest';
import type { Invitation } from '../model';
import { invitationEmail } from './invitation-mail';

const invitation: Invitation = {
  budgetId: 'b1',
  id: 'i1',
  email: 'alex@example.com',
  role: 'editor',
  invitedBy: 'u1',
  createdAt: '2026-11-24T12:00:00.000Z',
  expiresAt: '2026-12-01T12:00:00.000Z',
  nonce: 'n1',
};

describe('the invitation mail', () => {
  it('goes to the invited email with the code in both parts, the role and the lifetime', () => {
    const mail = invitationEmail({ id: 'm1', invitation, budgetName: 'Home', inviterName: 'Sam', token: 'b1.i1.SECRET' });
    expect(mail).toMatchObject({ id: 'm1', to: 'alex@example.com', subject: 'Join the budget "Home"' });
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('b1.i1.SECRET');
      expect(part).toContain('expires in 7 days');
      expect(part).toContain('an editor');
    }
    expect(mail.text).toContain('Sam invites you to the budget "Home"');
  });

  it('escapes the names in the HTML part, and names no one when the inviter is gone', () => {
    const mail = invitationEmail({ id: 'm2', invitation: { ...invitation, role: 'viewer' }, budgetName: '<b>Home</b>', inviterName: null, token: 't' });
    expect(mail.html).toContain('&lt;b&gt;Home&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Home');
    expect(mail.text).toContain('The owner of a budget invites you');
    expect(mail.text).toContain('a viewer');
  });
});
