import type { ModuleStore } from '@budgeting/platform';

/** One element of a ModuleStore.transactWrite call (the DocumentClient shape minus TableName). */
export type TransactItem = Parameters<ModuleStore['transactWrite']>[0][number];
