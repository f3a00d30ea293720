import { problemResponses } from '@budgeting/platform/routes';
import type { z } from '@hono/zod-openapi';

/** What a rename resource's example needs to derive the queued one from the finished one. */
interface RenameExample {
  createdAt: string;
}

/**
 * The responses of a rename's POST (a job: merchant rename, tag rename), one shape for every
 * kind: 200 finished within `Prefer: wait=N`, 202 accepted (its example: the finished one as it
 * looks when just queued), each with `Location` of the rename resource at `resourcePath`.
 */
export function renameStartResponses<S extends z.ZodTypeAny>(schema: S, finished: RenameExample, resourcePath: string) {
  const location = { description: `URL of the rename, GET ${resourcePath}.`, schema: { type: 'string' as const } };
  return {
    200: {
      description: 'The finished rename (with `Prefer: wait=N`)',
      headers: {
        Location: location,
        'Preference-Applied': { description: '`wait=N` when the Prefer wait was honoured.', schema: { type: 'string' as const } },
      },
      content: { 'application/json': { schema, example: finished } },
    },
    202: {
      description: 'Accepted: the rename runs as a job (or replayed, with `Idempotent-Replayed: true`). Its first unit is written with the rename, so the start never fails on the work queue; a rename whose work stops moving is failed `stalled`.',
      headers: {
        Location: location,
        'Preference-Applied': { description: '`wait=N` when a Prefer wait was asked for (it did not finish in time).', schema: { type: 'string' as const } },
      },
      content: {
        'application/json': {
          schema,
          example: { ...finished, status: 'queued', examined: 0, renamed: 0, updatedAt: finished.createdAt, finishedAt: undefined },
        },
      },
    },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  };
}

/** The responses of a rename's GET: the rename, with a finished and a failed example. */
export function renameProgressResponses<S extends z.ZodTypeAny>(schema: S, examples: { succeeded: unknown; failed: unknown; failedSummary: string }) {
  return {
    200: {
      description: 'The rename',
      content: {
        'application/json': {
          schema,
          examples: {
            succeeded: { summary: 'Finished', value: examples.succeeded },
            failed: { summary: examples.failedSummary, value: examples.failed },
          },
        },
      },
    },
    ...problemResponses(400, 401, 404),
  };
}
