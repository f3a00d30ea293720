import { z } from '@hono/zod-openapi';
import { RENAME_MAX_FROM, RENAME_PAGE_SIZE } from '../domain/merchant-rename';
import { budgetId, jobFailureCode, MERCHANT_MAX, searchText } from './expenses.schemas';

/**
 * POST /v1/budgets/{budgetId}/merchants/rename and GET .../merchant-renames/{renameId}
 * (service/merchant-rename.service.ts). `from` names are compared as the merchant
 * suggestions group them (case, accents and spacing ignored); `to` is stored as sent (trimmed),
 * under the rules of an expense's merchant.
 */
export const RenameBody = z
  .object({
    from: z
      .array(searchText(MERCHANT_MAX).openapi({ example: 'AMZN MKTP US*2K4' }))
      .min(1, { error: 'Send at least one merchant name' })
      .max(RENAME_MAX_FROM, { error: `At most ${RENAME_MAX_FROM} merchant names per rename` })
      .openapi({
        description: `1..${RENAME_MAX_FROM} merchant names (1..${MERCHANT_MAX} characters each), each matched ignoring case, accents and spacing, as the merchant suggestions group them.`,
      }),
    to: searchText(MERCHANT_MAX).openapi({ example: 'Amazon', description: `The merchant the matching expenses get (1..${MERCHANT_MAX} characters, trimmed, stored as sent).` }),
    remember: z
      .boolean({ error: 'Must be true or false' })
      .optional()
      .openapi({
        example: true,
        description:
          "Default false. True: also add a rename rule `{merchant: {equals: <spelling>}, renameTo: to}` per `from` spelling that no rule covers identically yet, so NEW expenses (POST, offline push, imports) get `to` too. Needs the rule permission (the owner: 403 naming `remember` otherwise); past the budget's 100 rules, 409 naming `remember` and nothing is started.",
      }),
  })
  .strict()
  .openapi('MerchantRenameRequest', { example: { from: ['AMZN MKTP US*2K4', 'Amazon.com'], to: 'Amazon' } });

export type RenameInput = z.infer<typeof RenameBody>;

export const RenameHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Retry-safe creation: same key + same body replays the first response for 24 h.', example: '01JD8Q0Z4X7N2M5K8P3R6T9V1W' }),
  prefer: z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: 'RFC 7240 `wait=N` (seconds, at most 25, and never past 27 s after API Gateway received the request): answer 200 with the finished rename if it finishes within N seconds, else 202 as without it.',
      example: 'wait=10',
    }),
});

export const RenameParams = z
  .object({
    budgetId,
    renameId: z.string().min(1).max(64).openapi({ param: { name: 'renameId', in: 'path' }, example: '01JDRENAME00000000000000001' }),
  })
  .strict();

export const RenameSchema = z
  .object({
    id: z.string().openapi({ example: '01JDRENAME00000000000000001' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi({
      example: 'succeeded',
      description: '`failed`: the budget was deleted or archived meanwhile, a page of its expenses could not be worked, or nothing moved for 75 minutes (stalled); `failure` says why and `failureCode` as a code (the expenses renamed before stay renamed; renaming again is safe, it only renames what still matches).',
    }),
    from: z.array(z.string()).openapi({ example: ['AMZN MKTP US*2K4', 'Amazon.com'] }),
    to: z.string().openapi({ example: 'Amazon' }),
    examined: z.number().int().openapi({ example: 1240, description: `The budget's expenses read so far (${RENAME_PAGE_SIZE} a step).` }),
    renamed: z.number().int().openapi({ example: 37, description: 'Expenses whose merchant became `to` (each once, as its own PATCH would: version, delta sync, events).' }),
    createdAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-11-24T12:00:02.000Z', description: 'When the rename last moved: created, started, a page counted, finished.' }),
    finishedAt: z.string().optional().openapi({ example: '2026-11-24T12:00:02.000Z' }),
    failure: z.string().optional().openapi({ example: 'the budget was deleted while renaming', description: 'Why it failed (only when `failed`).' }),
    failureCode: jobFailureCode('rename'),
    ruleIds: z
      .array(z.string())
      .optional()
      .openapi({ example: ['01JDRULE0000000000000000001'], description: 'Only with `remember: true`: the rename rules created (empty when every spelling had one already).' }),
  })
  .openapi('MerchantRename');
