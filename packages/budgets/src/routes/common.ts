import { z } from '@hono/zod-openapi';

/** OpenAPI pieces shared by the budgets module's routes. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const etagHeader = {
  ETag: { description: 'The version, for If-Match', schema: { type: 'string' as const, example: '"1"' } },
};

export const locationHeader = {
  Location: { description: 'URL of the created resource', schema: { type: 'string' as const } },
};
