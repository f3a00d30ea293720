import { z } from '@hono/zod-openapi';

/** POST /v1/me/export, GET /v1/me/exports[/{exportId}]: data exports (GDPR Art. 20). */

export const EXAMPLE_EXPORT_ID = '01JDQ9A4B6C8D0E2F4G6H8J0K2';

export const DataExportParams = z
  .object({
    exportId: z
      .string()
      .regex(/^[0-9A-Za-z]{1,64}$/, 'Must be an export id')
      .openapi({ param: { name: 'exportId', in: 'path' }, example: EXAMPLE_EXPORT_ID }),
  })
  .strict();

export const DataExportIdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    param: { in: 'header' },
    example: '01JDQ7SZQ4W8E2R6T0Y4U8I2O6',
    description: 'Retry-safe start: the same key within 24 h replays the first answer (the same export), never starting a second one.',
  }),
});

export const DataExportSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_EXPORT_ID }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi({ example: 'succeeded' }),
    createdAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
    completedAt: z.string().optional().openapi({ example: '2026-11-24T12:00:09.000Z', description: 'When it succeeded or failed.' }),
    expiresAt: z.string().optional().openapi({ example: '2026-12-01T12:00:00.000Z', description: 'Succeeded exports: when the document is deleted (7 days after the start).' }),
    size: z.number().int().optional().openapi({ example: 48213, description: 'Succeeded exports: the document\'s size in bytes.' }),
    download: z
      .object({
        url: z.string().openapi({ example: 'https://example-bucket.s3.eu-west-1.amazonaws.com/exports/...' }),
        expiresAt: z.string().openapi({ example: '2026-11-24T12:15:00.000Z' }),
      })
      .optional()
      .openapi({ description: 'GET of one succeeded export only: a signed URL of the JSON Lines document, valid 15 minutes, minted on each GET.' }),
  })
  .openapi('DataExport');

export const DataExportListSchema = z.object({ items: z.array(DataExportSchema) }).openapi('DataExportList');
