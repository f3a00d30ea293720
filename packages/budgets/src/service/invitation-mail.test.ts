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

describe("the invitation mail in the recipient's locale (platform locale-messages.ts)", () => {
  const input = { id: 'm5', invitation, budgetName: 'Zuhause', inviterName: 'Sam', token: 'b1.i1.SECRET', acceptUrl: 'https://app.example.com/join?code=' };

  it('German: subject, the invitation sentence, the link in the HTML part; the code untouched', () => {
    const mail = invitationEmail({ ...input, locale: 'de-AT' });
    expect(mail.subject).toBe('Treten Sie dem Budget „Zuhause“ bei');
    expect(mail.text).toContain('Sam lädt Sie als Bearbeiter (Sie können Ausgaben erfassen) zum Budget „Zuhause“ ein.');
    expect(mail.text).toContain('Der Code funktioniert einmal und läuft in 7 Tagen ab.');
    expect(mail.html).toContain('<a href="https://app.example.com/join?code=b1.i1.SECRET">öffnen Sie diesen Link</a>');
    expect(mail.html).toContain('<p><code>b1.i1.SECRET</code></p>');
  });

  it('French and Spanish; the names escaped in the HTML part', () => {
    const fr = invitationEmail({ ...input, budgetName: 'A&B', inviterName: null, invitation: { ...invitation, role: 'viewer' }, locale: 'fr-CA' });
    expect(fr.subject).toBe('Rejoignez le budget «\u00A0A&B\u00A0»');
    expect(fr.text).toContain("Le propriétaire d'un budget vous invite à rejoindre le budget «\u00A0A&B\u00A0» en tant que lecteur (vous pouvez le consulter).");
    expect(fr.html).toContain('Le propriétaire d&#39;un budget vous invite à rejoindre le budget «\u00A0A&amp;B\u00A0»');
    // "que" elided before a vowel: the role carries it.
    expect(invitationEmail({ ...input, locale: 'fr' }).text).toContain("Sam vous invite à rejoindre le budget «\u00A0Zuhause\u00A0» en tant qu'éditeur (vous pouvez saisir des dépenses).");
    const es = invitationEmail({ ...input, locale: 'es-419' });
    expect(es.subject).toBe('Únete al presupuesto «Zuhause»');
    expect(es.text).toContain('Sam te invita al presupuesto «Zuhause» como editor (puedes registrar gastos).');
    expect(es.text).toContain('El código funciona una sola vez y caduca en 7 días.');
  });

  it('a language the catalog does not have: the English mail exactly', () => {
    const japanese = invitationEmail({ ...input, locale: 'ja-JP' });
    expect(japanese).toEqual(invitationEmail(input));
    expect(japanese.subject).toBe('Join the budget "Zuhause"');
    expect(japanese.html).toContain(
      '<p>To join, <a href="https://app.example.com/join?code=b1.i1.SECRET">open this link</a> and sign in (or create an account, with any email), or enter this invitation code in the budgeting app:</p>',
    );
  });
});
