import { jsonAnswer, keyCompletion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Income } from '../model';
import type { CsvExportService } from '../service/csv-export.service';
import type { IncomeService } from '../service/income.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import type { exportIncome, getAgeOfMoney, getCashFlow, incomeRoutes, listDeletedIncome, restoreIncome } from './income.routes';
import { restoreRouteHandlers } from './restore.handlers';
import type { DeletedIncome } from '../repository/income.repository';

/**
 * Handlers: the list, get, update and delete every budget resource shares (budget-resource.ts);
 * the create takes the id the Idempotency-Key middleware chose and completes its key in the entry's
 * own transaction (IncomeService.create `completeKey`); the cash flow is a plain read
 * (no ETag: as the summary and the spending breakdown).
 */
export function incomeHandlers(service: IncomeService, exports: CsvExportService) {
  const create: RouteHandler<typeof incomeRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (i: Income) => `/v1/budgets/${encodeURIComponent(budgetId)}/income/${i.id}`;
    // The key's answer, exactly as this handler answers below, committed with the entry.
    const completeKey = keyCompletion(c, (i: Income) => jsonAnswer(201, presentIncome(i), i.version, location(i)));
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), false, completeKey);
    setEtag(c, created.version);
    c.header('Location', location(created));
    return c.json(presentIncome(created), 201);
  };
  const cashFlow: RouteHandler<typeof getCashFlow, AppEnv> = async (c) => {
    return c.json(await service.cashFlow(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query')), 200);
  };
  const ageOfMoney: RouteHandler<typeof getAgeOfMoney, AppEnv> = async (c) => {
    return c.json(await service.ageOfMoney(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query')), 200);
  };
  const exportCsv: RouteHandler<typeof exportIncome, AppEnv> = async (c) => {
    const file = await exports.exportIncome(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.body(file.body, 200, { 'Content-Type': file.mediaType, 'Content-Disposition': `attachment; filename="${file.filename}"` });
  };
  const undo = restoreRouteHandlers('incomeId', service, presentIncome, (d: DeletedIncome) => presentIncome(d.income));
  const restore: RouteHandler<typeof restoreIncome, AppEnv> = undo.restore;
  const listDeleted: RouteHandler<typeof listDeletedIncome, AppEnv> = undo.listDeleted;
  const shared: BudgetResourceHandlers<typeof incomeRoutes> = budgetResourceHandlers('incomeId', service, presentIncome);
  return { create, cashFlow, ageOfMoney, exportCsv, restore, listDeleted, ...shared };
}

/** The API shape: exactly the Income schema's fields (also GET/POST /changes' income). */
export function presentIncome(i: Income) {
  return pickFields(i, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'receivedOn', 'source', 'description', 'recurringIncomeId', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
