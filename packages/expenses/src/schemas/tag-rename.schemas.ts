import { z } from '@hono/zod-openapi';
import { RENAME_PAGE_SIZE } from '../domain/merchant-rename';
import { TAG_RENAME_MAX_FROM } from '../domain/tag-rename';
import { TAG_MAX } from '../domain/tags';
import { budgetId, jobFailureCode, tag } from './expenses.schemas';
import { RenameHeaders } from './merchant-rename.schemas';

/**
 * POST /v1/budgets/{budgetId}/tags/rename and GET .../tag-renames/{renameId}
 * (service/tag-rename.service.ts). `from` tags are matched as the list's `tag` filter matches
 * (case and accents ignored); `to` follows an expense tag's rules, or is null to remove them.
 */
export const TagRenameBody = z
  .object({
    from: z
      .array(tag)
      .min(1, { error: 'Send at least one tag' })
      .max(TAG_RENAME_MAX_FROM, { error: `At most ${TAG_RENAME_MAX_FROM} tags per rename` })
      .openapi({ description: `1..${TAG_RENAME_MAX_FROM} tags (1..${TAG_MAX} characters each), each matched ignoring case and accents, as the \`tag\` filter matches.`, example: ['vacation', 'Vacances'] }),
    to: tag.nullable().openapi({
      example: 'vacation-2026',
      description: `The tag the matching tags become (1..${TAG_MAX} characters, stored as a tag is: trimmed, name-normalized), or null to remove them. An expense that already has \`to\` keeps it once.`,
    }),
  })
  .strict()
  .openapi('TagRenameRequest', { example: { from: ['vacation', 'Vacances'], to: 'vacation-2026' } });

export const TagRenameHeaders = RenameHeaders;

export const TagRenameParams = z
  .object({
    budgetId,
    renameId: z.string().min(1).max(64).openapi({ param: { name: 'renameId', in: 'path' }, example: '01JDTAGRENAME0000000000001' }),
  })
  .strict();

export const TagRenameSchema = z
  .object({
    id: z.string().openapi({ example: '01JDTAGRENAME0000000000001' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi({
      example: 'succeeded',
      description: '`failed`: the budget was deleted or archived meanwhile, a page of its expenses could not be worked, or nothing moved for 75 minutes (stalled); `failure` says why and `failureCode` as a code (the expenses changed before stay changed; renaming again is safe, it only changes what still matches).',
    }),
    from: z.array(z.string()).openapi({ example: ['vacation', 'Vacances'] }),
    to: z.string().nullable().openapi({ example: 'vacation-2026', description: 'null: the `from` tags are removed.' }),
    examined: z.number().int().openapi({ example: 1240, description: `The budget's expenses read so far (${RENAME_PAGE_SIZE} a step).` }),
    renamed: z.number().int().openapi({ example: 37, description: 'Expenses whose `from` tags were replaced or removed (each once, as its own PATCH `{tags}` would: version, delta sync, events).' }),
    createdAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-11-24T12:00:02.000Z', description: 'When the rename last moved: created, started, a page counted, finished.' }),
    finishedAt: z.string().optional().openapi({ example: '2026-11-24T12:00:02.000Z' }),
    failure: z.string().optional().openapi({ example: 'the budget was deleted while renaming', description: 'Why it failed (only when `failed`).' }),
    failureCode: jobFailureCode('rename'),
  })
  .openapi('TagRename');
