import { z } from '@hono/zod-openapi';
import { queryInteger } from './query-integer';

/** `?limit=` (1..100, default 50) and `?cursor=` as every list route accepts them. */
export const paginationQuery = {
  limit: queryInteger({ min: 1, max: 100 })
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, default: 50, example: 50, description: 'Page size, 1..100.' }),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page.' }),
};
