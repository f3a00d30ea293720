import { describe, expect, it } from 'vitest';
import type { Webhook } from '../model';
import { disabledEmail } from './disabled-email';

const webhook = { id: 'wh1', url: 'https://hooks.example.com/in?a=1&b=2' } as Webhook;
const mail = (locale?: string | null) => disabledEmail(webhook, 'owner@example.com', 'HTTP 500', 'd1', locale);

describe("the webhook-disabled mail in the owner's locale (platform locale-messages.ts)", () => {
  it('English without a locale: the text as before locales, line for line', () => {
    expect(mail().subject).toBe('Webhook disabled: https://hooks.example.com/in?a=1&b=2');
    expect(mail().text).toBe(
      [
        'Your webhook https://hooks.example.com/in?a=1&b=2 (wh1) was disabled: Every attempt failed for 24 hours (last: HTTP 500).',
        '',
        'Nothing more is sent to it, and events are not recorded for it while it is disabled. Once the endpoint works again,',
        'enable it with PATCH /v1/webhooks/wh1 {"enabled": true}; a failed delivery can be sent again with',
        'POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver.',
        "Each event carries the budget's serverKnowledge: one GET /v1/budgets/{budgetId}/changes?since=<the last one you processed> repairs what you missed.",
      ].join('\n'),
    );
    expect(mail().html).toContain('<p>Your webhook https://hooks.example.com/in?a=1&#38;b=2 (wh1) was disabled');
  });

  it('German, French and Spanish, the API calls untouched', () => {
    const de = mail('de-DE');
    expect(de.subject).toBe('Webhook deaktiviert: https://hooks.example.com/in?a=1&b=2');
    expect(de.text).toContain('wurde deaktiviert: Alle Versuche sind 24 Stunden lang fehlgeschlagen (zuletzt: HTTP 500).');
    expect(de.text).toContain('aktivieren Sie ihn mit PATCH /v1/webhooks/wh1 {"enabled": true};');
    expect(de.html).toContain('changes?since=&#60;der zuletzt verarbeitete&#62; holt nach');
    const fr = mail('fr-FR');
    expect(fr.subject).toBe('Webhook désactivé\u00A0: https://hooks.example.com/in?a=1&b=2');
    expect(fr.text).toContain('toutes les tentatives ont échoué pendant 24\u00A0heures (dernière\u00A0: HTTP 500).');
    expect(fr.text).toContain('POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver.');
    const es = mail('es-MX');
    expect(es.subject).toBe('Webhook desactivado: https://hooks.example.com/in?a=1&b=2');
    expect(es.text).toContain('Cuando el endpoint vuelva a funcionar, actívalo con PATCH /v1/webhooks/wh1 {"enabled": true};');
  });

  it("disabled by its endpoint's 410 Gone: says so, not that every attempt failed for 24 hours", () => {
    const gone = (locale?: string) => disabledEmail(webhook, 'owner@example.com', 'HTTP 410', 'd1', locale).text.split('\n')[0];
    expect(gone()).toBe('Your webhook https://hooks.example.com/in?a=1&b=2 (wh1) was disabled: its endpoint answered 410 Gone, which asks for no more deliveries.');
    expect(gone('de-DE')).toContain('Sein Endpunkt hat mit 410 Gone geantwortet');
    expect(gone('fr-FR')).toContain('a répondu 410 Gone');
    expect(gone('es-ES')).toContain('respondió 410 Gone');
  });

  it('a language the catalog does not have: the English mail exactly', () => {
    expect(mail('ja-JP')).toEqual(mail(null));
  });
});
