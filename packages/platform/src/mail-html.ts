/**
 * The HTML part of every mail (the report mail's is its report page, which has the same head):
 * one document that says which language its words are in, its charset and its title. A screen
 * reader picks its pronunciation from `<html lang>`: without it a German mail was read with
 * English pronunciation (until 2026-12-08 the mails sent `<!doctype html><html><body>` or bare
 * paragraphs). Mail clients show the title nowhere, but a mail saved or opened as a file does.
 *
 * `lang`: the language of the words the body is in, the `lang` of the LocaleMessages that wrote
 * them (platform locale-messages.ts: the profile's locale when the catalog has its language,
 * else `en`: a mail in English words must not claim to be Japanese). `subject`: the mail's
 * subject, plain text (escaped here: it may carry a budget's name). `body`: markup, already escaped.
 */
export function mailHtml(lang: string, subject: string, body: string): string {
  return [`<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`, body, '</body></html>'].join('\n');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
