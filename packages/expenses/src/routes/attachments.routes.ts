import { bearerSecurity, jsonBody, jsonContent, limitReachedResponse, locationHeader, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_ATTACHMENTS_PER_EXPENSE } from '../domain/attachments';
import { IdempotencyHeaders } from '../schemas/expenses.schemas';
import { AttachmentListSchema, AttachmentParams, AttachmentSchema, AttachmentsParams, CreateAttachmentBody } from '../schemas/attachments.schemas';

/** Receipts (photos, PDFs) on an expense: metadata here, bytes straight to and from storage (service/attachments.service.ts). */
const collection = '/v1/budgets/{budgetId}/expenses/{expenseId}/attachments';
const item = `${collection}/{attachmentId}`;
const common = { tags: ['Attachments'], security: bearerSecurity };

export const createAttachment = createRoute({
  method: 'post',
  path: collection,
  operationId: 'createExpenseAttachment',
  summary: 'Attach a receipt to an expense',
  description:
    'Owners and editors (who may change the expense). Declares the file (`contentType`: JPEG, PNG, HEIC, WebP or PDF; exact `size` in bytes, at most 10 MB) and answers where to upload it: ' +
    '`upload` is a form POST (multipart/form-data: every `fields` entry, then the file as `file`) valid 15 minutes, accepted by the storage only with exactly that size and type. ' +
    'The file never passes through this API. The attachment is `pending` until it is read after the upload (GET), then `uploaded` with a `download` URL. ' +
    'At most 10 per expense (409 past that: delete one first; an upload never completed gives its place back once its ticket has expired). ' +
    'With an `Idempotency-Key`, a retry answers the first attempt\'s attachment and ticket (valid until its `expiresAt`) instead of declaring a second one.',
  ...common,
  request: { params: AttachmentsParams, headers: IdempotencyHeaders, body: jsonBody(CreateAttachmentBody) },
  responses: {
    201: { description: 'Declared; upload the file with `upload`', headers: locationHeader, content: jsonContent(AttachmentSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
    409: limitReachedResponse(
      { collection: 'attachments', limit: MAX_ATTACHMENTS_PER_EXPENSE, detail: `An expense can have at most ${MAX_ATTACHMENTS_PER_EXPENSE} attachments; delete one first.` },
      '`conflict` or `budget-archived` as the description says',
    ),
  },
});

export const listAttachments = createRoute({
  method: 'get',
  path: collection,
  operationId: 'listExpenseAttachments',
  summary: "List an expense's attachments",
  description: 'Any member. Every attachment (at most 10), oldest first; uploaded ones carry a `download` URL valid 5 minutes. A pending one whose file has arrived is confirmed here.',
  ...common,
  request: { params: AttachmentsParams },
  responses: { 200: { description: 'The attachments', content: jsonContent(AttachmentListSchema) }, ...problemResponses(400, 401, 404) },
});

export const getAttachment = createRoute({
  method: 'get',
  path: item,
  operationId: 'getExpenseAttachment',
  summary: 'Get an attachment (and a download URL)',
  description: 'Any member. Once uploaded, `download.url` is a signed GET of the file valid 5 minutes (ask again for a new one). While `pending`, this is where the upload is confirmed. A deleted expense\'s attachments are a 404, as its list.',
  ...common,
  request: { params: AttachmentParams },
  responses: { 200: { description: 'The attachment', content: jsonContent(AttachmentSchema) }, ...problemResponses(400, 401, 404) },
});

export const deleteAttachment = createRoute({
  method: 'delete',
  path: item,
  operationId: 'deleteExpenseAttachment',
  summary: 'Delete an attachment',
  description: 'Owners and editors. Deletes the attachment and its file. Deleting the expense (or the budget) deletes its attachments too.',
  ...common,
  request: { params: AttachmentParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
