import type { BudgetsFacade, BudgetWatchersFacade } from '@budgeting/budgets';
import type { Clock } from '@budgeting/platform';
import type { DeliveryQueue } from '../contract';
import type { DeliveriesRepository } from '../repository/deliveries.repository';
import type { WebhooksRepository } from '../repository/webhooks.repository';

/** What both sides of a delivery (the fan-out that creates it, the worker that sends it) work with. */
export interface WebhookServiceDeps {
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  budgets: BudgetsFacade;
  /** The budgets' watchers hint (optional: without it every event reads every member's webhooks). */
  watchers?: BudgetWatchersFacade;
  queue: DeliveryQueue;
  clock: Clock;
}
