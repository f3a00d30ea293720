import { hasVisibleText } from '@budgeting/platform';
import { freeText } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ATTACHMENT_CONTENT_TYPES, MAX_ATTACHMENT_BYTES } from '../domain/attachments';
import { ID_MAX, budgetId } from './expenses.schemas';

/**
 * The attachments API's bodies and responses (domain/attachments.ts). Unknown fields are
 * refused and named, as everywhere.
 */
const FILE_NAME_MAX = 200;
const sizeError = `Must be a whole number of bytes from 1 to ${MAX_ATTACHMENT_BYTES} (10 MB)`;

export const CreateAttachmentBody = z
  .object({
    contentType: z
      .enum(ATTACHMENT_CONTENT_TYPES, { error: `Must be one of ${ATTACHMENT_CONTENT_TYPES.join(', ')}` })
      .openapi({ description: 'The file\'s media type; the upload must send exactly this `Content-Type`.', example: 'image/jpeg' }),
    size: z
      .number({ error: sizeError })
      .int({ error: sizeError })
      .min(1, { error: sizeError })
      .max(MAX_ATTACHMENT_BYTES, { error: sizeError })
      .openapi({ description: 'The file\'s exact size in bytes (1..10 MB); the storage refuses an upload of any other size.', example: 734_003 }),
    fileName: freeText(FILE_NAME_MAX)
      .min(1, { error: 'Must not be empty' })
      .regex(/^[^/\\]+$/, { error: 'Must not contain / or \\' })
      // Line breaks and other controls have no place in a file name, and a bidi control makes one
      // show as another ("\u202Egnp.exe" is shown as "exe.png" but saved as an .exe).
      .regex(/^[^\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/u, { error: 'Must not contain line breaks, control characters or text direction marks' })
      // Only zero-width or blank-looking characters would show as no name at all.
      .refine(hasVisibleText, { error: 'Must contain a visible character' })
      .optional()
      .openapi({
        description:
          `Shown as sent (1..${FILE_NAME_MAX} characters, at least one visible; no / or \\, line breaks, control characters or text direction marks) and names the download, whose extension follows \`contentType\`: ` +
          'a name not ending in one of its extensions gets it appended (`invoice.html` declared `image/png` downloads as `invoice.html.png`, `scan` as `application/pdf` as `scan.pdf`).',
        example: 'receipt-corner-market.jpg',
      }),
  })
  .strict()
  .openapi('CreateAttachment', { example: { contentType: 'image/jpeg', size: 734_003, fileName: 'receipt.jpg' } });

const UploadTicketSchema = z
  .object({
    method: z.literal('POST'),
    url: z.string().openapi({ example: 'https://budgeting-attachments.s3.amazonaws.com/' }),
    fields: z.record(z.string(), z.string()).openapi({ description: 'Send every one as a form field, in a multipart/form-data POST, before the file (field `file`).' }),
    expiresAt: z.string().openapi({ example: '2026-11-24T12:15:00.000Z' }),
  })
  .openapi('AttachmentUpload', { description: 'Where and how to upload the file: valid 15 minutes, for exactly the declared size and type.' });

const DownloadSchema = z
  .object({
    url: z.string().openapi({ example: 'https://budgeting-attachments.s3.amazonaws.com/budgets/...?X-Amz-Signature=...' }),
    expiresAt: z.string().openapi({ example: '2026-11-24T12:05:00.000Z' }),
  })
  .openapi('AttachmentDownload', { description: 'A signed GET of the file, valid 5 minutes: ask again for a fresh one.' });

export const AttachmentSchema = z
  .object({
    id: z.string().openapi({ example: '01JDATTACHMENT000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    expenseId: z.string().openapi({ example: '01JDEXPENSE0000000000000001' }),
    status: z.enum(['pending', 'uploaded']).openapi({ description: '`pending` until the file is in storage with the declared size and type (checked when it is read).' }),
    contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
    size: z.number().int().openapi({ example: 734_003 }),
    fileName: z.string().optional().openapi({ description: 'Only when one was sent; as sent (the download\'s name may have the type\'s extension appended).' }),
    createdBy: z.string(),
    createdAt: z.string(),
    uploadExpiresAt: z.string().openapi({ description: 'Until when the upload ticket is valid.' }),
    uploadedAt: z.string().optional().openapi({ description: 'Once uploaded.' }),
    upload: UploadTicketSchema.optional().openapi({ description: 'In the answer to the create only.' }),
    download: DownloadSchema.optional().openapi({ description: 'Once uploaded.' }),
  })
  .openapi('Attachment');

export const AttachmentListSchema = z
  .object({ items: z.array(AttachmentSchema) })
  .openapi('AttachmentList', { description: "Every attachment of the expense (at most 10), oldest first." });

export const AttachmentsParams = z
  .object({
    budgetId,
    expenseId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'expenseId', in: 'path' }, example: '01JDEXPENSE0000000000000001' }),
  })
  .strict();

export const AttachmentParams = AttachmentsParams.extend({
  attachmentId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'attachmentId', in: 'path' }, example: '01JDATTACHMENT000000000001' }),
}).strict();

export type CreateAttachmentInput = z.infer<typeof CreateAttachmentBody>;
