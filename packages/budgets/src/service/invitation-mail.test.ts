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

  it('with INVITATION_URL, links to it with the code appended (URL-encoded), and still gives the code', () => {
    const mail = invitationEmail({ id: 'm3', invitation, budgetName: 'Home', inviterName: 'Sam', token: 'b1.i1.S+/=', acceptUrl: 'https://app.example.com/join?code=' });
    expect(mail.text).toContain('https://app.example.com/join?code=b1.i1.S%2B%2F%3D');
    expect(mail.html).toContain('href="https://app.example.com/join?code=b1.i1.S%2B%2F%3D"');
    expect(mail.text).toContain('\nb1.i1.S+/=\n');
    const plain = invitationEmail({ id: 'm4', invitation, budgetName: 'Home', inviterName: 'Sam', token: 't' });
    expect(plain.text).not.toContain('http');
    expect(plain.html).not.toContain('href');
  });

  it('escapes the names in the HTML part, and names no one when the inviter is gone', () => {
    const mail = invitationEmail({ id: 'm2', invitation: { ...invitation, role: 'viewer' }, budgetName: '<b>Home</b>', inviterName: null, token: 't' });
    expect(mail.html).toContain('&lt;b&gt;Home&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Home');
    expect(mail.text).toContain('The owner of a budget invites you');
    expect(mail.text).toContain('a viewer');
  });
});
