/**
 * The attribute of a month's income total item (keys.ts incomeMonthSk): its only figure. Not
 * a name totals-attributes.ts parses (neither `total`, `uncategorized`, `c_...` nor `dDD_...`),
 * so the spending readers of the month Query pass over the item. Its own file: the totals
 * repository is built at every cold start, the income repository only with the routes.
 */
export const INCOME_ATTRIBUTE = 'income';
