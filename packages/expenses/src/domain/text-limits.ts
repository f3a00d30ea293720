/**
 * Lengths the API and the CSV import both enforce. Plain constants in a file of their own so
 * the import's row rules (csv/rows.ts) do not load the zod schemas that also use them: the
 * import service is built at every start, the schemas only for an expenses route (issue 11).
 */
export const DESCRIPTION_MAX = 500;
export const MERCHANT_MAX = 200;
export const ID_MAX = 128;
