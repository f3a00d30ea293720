/**
 * Entry of the reports feature's routes, for the budgets router only (loaded with it, on the
 * first request reaching budgets). Apart from reports/index.ts, which start-up code imports.
 */
export { reportsHandlers } from './routes/reports.handlers';
export * as reportsRoutes from './routes/reports.routes';
