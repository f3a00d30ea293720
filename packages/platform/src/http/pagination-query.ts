import { z } from '@hono/zod-openapi';

/** `?limit=` (1..100, default 50) and `?cursor=` as every list route accepts them. */
export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50, description: 'Page size, 1..100.' }),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page.' }),
};
