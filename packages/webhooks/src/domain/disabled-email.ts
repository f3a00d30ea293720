import { mailHtml, type EmailMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { Webhook } from '../model';
import { GONE_LAST } from './endpoint-gone';

/**
 * The mail to a webhook's owner when it was disabled after 24 h of failed deliveries (or at once,
 * its endpoint having answered 410 Gone: `last` "HTTP 410", endpoint-gone.ts), in the
 * words of the owner's profile `locale` (platform locale-messages.ts: en, de, fr, es; any other
 * language or none: English, byte for byte the text before locales). `last`: the last attempt's
 * outcome as the stored reason names it ("HTTP 500", or the network error as recorded). The API
 * calls stay as they are in every language; a line of the text part is a paragraph of the HTML.
 */
export function disabledEmail(webhook: Webhook, to: string, last: string, deliveryId: string, locale?: string | null): EmailMessage {
  const { fill, lang } = localeMessages(locale);
  const text = [
    // Disabled by its endpoint's 410 Gone (endpoint-gone.ts), or after 24 h of failures.
    last === GONE_LAST ? fill('webhook.email.disabledGone', { url: webhook.url, id: webhook.id }) : fill('webhook.email.disabled', { url: webhook.url, id: webhook.id, last }),
    '',
    fill('webhook.email.howToEnable', {
      enable: `PATCH /v1/webhooks/${webhook.id} {"enabled": true}`,
      redeliver: 'POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    }),
    fill('webhook.email.repair', { changes: `GET /v1/budgets/{budgetId}/changes?since=<${fill('webhook.email.lastProcessed')}>` }),
  ].join('\n');
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const subject = fill('webhook.email.subject', { url: webhook.url });
  return {
    id: `webhook-disabled-${webhook.id}-${deliveryId}`,
    to,
    subject,
    text,
    html: mailHtml(lang, subject, `<p>${text.split('\n').filter(Boolean).map(escape).join('</p><p>')}</p>`),
  };
}
