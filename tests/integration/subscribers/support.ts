import type { App } from '../../../packages/app/src/http/create-app';
import * as actors from '../../support/actors';

/**
 * The subscribers run on the whole system: real accounts, budgets and expenses over HTTP,
 * their real outbox items, and delivery through the Lambda's own bus-delivery code (the path
 * EventBridge takes in AWS). Nothing relays here: a test picks the outbox items to deliver.
 * The HTTP steps are those of ../../support/actors; budgets here default to EUR 10,000.
 */
export type User = actors.Actor;

export const asUser = actors.as;

export const signup = (app: App, label: string): Promise<User> => actors.signUp(app, label);

export const createBudget = (app: App, owner: User, body: Record<string, unknown> = {}) =>
  actors.createBudget(app, owner, { currency: 'EUR', limit: 10_000, ...body });

export { addExpense, addMember } from '../../support/actors';

export { busEvent, deliver, itemsUnder, outboxEvents, tableItems, theEvent, type OutboxEvent } from '../../support/events';
