import type { EmailMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';

/**
 * The email that a data export is ready (no link: the download URL is minted when the user GETs
 * the export, signed in), in the words of the user's profile `locale` (platform
 * locale-messages.ts: en, de, fr, es by its language subtag; any other language or none:
 * English, byte for byte the text before locales). Loaded with the export's job only
 * (jobs/data-export-parts.ts), never on a cold HTTP request: the catalog stays out of that path.
 */
export function dataExportReadyMail(exportId: string, to: string, locale: string | null | undefined): EmailMessage {
  const { fill } = localeMessages(locale);
  const ready = fill('export.email.ready');
  const download = fill('export.email.download', { exportId });
  const notYou = fill('export.email.notYou');
  return {
    id: `data-export-${exportId}`,
    to,
    subject: fill('export.email.subject'),
    text: `${ready}\n\n${download}\n${notYou}\n`,
    // The catalog's words hold no markup character; the export id is a generated id (letters and digits).
    html: `<p>${ready}</p><p>${download}</p><p>${notYou}</p>`,
  };
}
