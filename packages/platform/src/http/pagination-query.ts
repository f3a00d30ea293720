import { z } from '@hono/zod-openapi';
import { queryInteger } from './query-integer';

/**
 * `?limit=` and `?cursor=` of a paged route: `limit` within 1..max (default `byDefault`),
 * `cursor` the previous page's nextCursor. Routes whose items cost more than a list item
 * (e.g. the home overview: two reads per budget) page smaller.
 */
export function pagingQuery(options: { byDefault: number; max: number; description?: string }) {
  const { byDefault, max } = options;
  return {
    limit: queryInteger({ min: 1, max })
      .default(byDefault)
      .openapi({ param: { name: 'limit', in: 'query' }, default: byDefault, example: byDefault, description: options.description ?? `Page size, 1..${max}.` }),
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page.' }),
  };
}

/** `?limit=` (1..100, default 50) and `?cursor=` as every list route accepts them. */
export const paginationQuery = pagingQuery({ byDefault: 50, max: 100 });
