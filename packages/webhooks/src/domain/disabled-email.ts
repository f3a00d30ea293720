import type { EmailMessage } from '@budgeting/platform';
import type { Webhook } from '../model';

/** The mail to a webhook's owner when it was disabled after 24 h of failed deliveries. */
export function disabledEmail(webhook: Webhook, to: string, reason: string, deliveryId: string): EmailMessage {
  const text = [
    `Your webhook ${webhook.url} (${webhook.id}) was disabled: ${reason}`,
    '',
    'Nothing more is sent to it, and events are not recorded for it while it is disabled. Once the endpoint works again,',
    `enable it with PATCH /v1/webhooks/${webhook.id} {"enabled": true}; a failed delivery can be sent again with`,
    'POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver.',
    'Each event carries the budget\'s serverKnowledge: one GET /v1/budgets/{budgetId}/changes?since=<the last one you processed> repairs what you missed.',
  ].join('\n');
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    id: `webhook-disabled-${webhook.id}-${deliveryId}`,
    to,
    subject: `Webhook disabled: ${webhook.url}`,
    text,
    html: `<p>${text.split('\n').filter(Boolean).map(escape).join('</p><p>')}</p>`,
  };
}
