import { localeMessages } from '@budgeting/platform/locale-messages';
import type { UnsubscribeKind } from '../domain/unsubscribe-token';

/**
 * The pages of an optional mail's unsubscribe link opened in a browser (a mail client without
 * RFC 8058 one-click support opens the List-Unsubscribe URL with a GET): the question with one
 * button that POSTs the one-click form to the same URL, the confirmation after it, and the page
 * of a link that is not ours. Self-contained (no script, no external asset, no link out), in the
 * words of the account's profile locale (platform locale-messages.ts: en, de, fr, es; else English).
 */

/** GET: what the link turns off and the button; the form has no action, so it POSTs to the page's own URL, whatever prefix a gateway put before /v1. */
export function unsubscribeAskPage(kind: UnsubscribeKind, locale: string | null): string {
  const { fill, lang } = localeMessages(locale);
  return page(lang, fill('unsubscribe.page.title'), [
    `<p>${escapeHtml(fill(`unsubscribe.page.${kind}`))}</p>`,
    `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(fill('unsubscribe.page.button'))}</button></form>`,
  ]);
}

/** POST from a browser (Accept ranks text/html first): that kind of mail is off now. */
export function unsubscribeDonePage(kind: UnsubscribeKind, locale: string | null): string {
  const { fill, lang } = localeMessages(locale);
  return page(lang, fill('unsubscribe.done.title'), [`<p>${escapeHtml(fill(`unsubscribe.done.${kind}`))}</p>`, `<p>${escapeHtml(fill('unsubscribe.done.again'))}</p>`]);
}

/** A token not ours (the 404 for a browser): whose it would be is not known, so English. */
export function unsubscribeInvalidPage(): string {
  const { fill, lang } = localeMessages(null);
  return page(lang, fill('unsubscribe.invalid.title'), [`<p>${escapeHtml(fill('unsubscribe.invalid.body'))}</p>`]);
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1.25rem}';

function page(lang: string, title: string, body: string[]): string {
  const heading = escapeHtml(title);
  return [
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${heading}</title><style>${STYLE}</style></head>`,
    `<body><main><h1>${heading}</h1>`,
    ...body,
    '</main></body></html>',
  ].join('\n');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
