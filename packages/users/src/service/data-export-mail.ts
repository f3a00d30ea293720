import { mailHtml, type EmailMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import { EXPORT_RETENTION_DAYS } from '../domain/data-export';

const DAY = 24 * 60 * 60;
const HOUR = 60 * 60;

/**
 * What is left of an export's keeping (it expires `expiresOn`) at `now`, when a mail may still
 * state it: a ready mail sent late (its send failed every attempt and the dead letter was
 * replayed days later) must not say "7 days" of an export with 2 left. Undefined under an hour
 * (or expired): nothing worth stating, no mail.
 */
export function exportKeepingLeft(expiresOn: string, now: Date): number | undefined {
  const seconds = Math.floor((Date.parse(expiresOn) - now.getTime()) / 1000);
  return seconds >= HOUR ? seconds : undefined;
}

/**
 * The email that a data export is ready (no link: the download URL is minted when the user GETs
 * the export, signed in), in the words of the user's profile `locale` (platform
 * locale-messages.ts: en, de, fr, es by its language subtag; any other language or none:
 * English, byte for byte the text before locales); `secondsLeft`: what is left of the export's
 * 7 days when the mail goes (exportKeepingLeft). Loaded with the export's job only
 * (jobs/data-export-parts.ts), never on a cold HTTP request: the catalog stays out of that path.
 */
export function dataExportReadyMail(exportId: string, to: string, locale: string | null | undefined, secondsLeft = EXPORT_RETENTION_DAYS * DAY): EmailMessage {
  const { fill, plural, lang } = localeMessages(locale);
  const ready = fill('export.email.ready');
  const hours = Math.max(1, Math.floor(secondsLeft / HOUR));
  const download =
    secondsLeft >= 2 * DAY
      ? fill('export.email.download', { exportId, days: Math.min(EXPORT_RETENTION_DAYS, Math.floor(secondsLeft / DAY)) })
      : fill(`export.email.downloadHours.${plural(hours)}`, { exportId, hours });
  const notYou = fill('export.email.notYou');
  const subject = fill('export.email.subject');
  return {
    id: `data-export-${exportId}`,
    to,
    subject,
    text: `${ready}\n\n${download}\n${notYou}\n`,
    // The catalog's words hold no markup character; the export id is a generated id (letters and digits).
    html: mailHtml(lang, subject, `<p>${ready}</p><p>${download}</p><p>${notYou}</p>`),
  };
}
