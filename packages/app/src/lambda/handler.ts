import { loadConfig } from '@budgeting/platform';
import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createSystem } from '../system';
import { createTriggerDispatcher } from './dispatch';
import { environmentFromLinks } from './sst-environment';
import { createBusDelivery } from '../events/bus-delivery';
import { createStreamHandler } from '../events/stream-handler';

/**
 * The ONE Lambda function. Everything is built once per container (outside the handler) so
 * warm invocations reuse clients and compiled schemas.
 */
const system = createSystem({ config: loadConfig(environmentFromLinks(process.env)) });

const dispatch = createTriggerDispatcher({
  logger: system.deps.logger,
  http: handle(system.app) as never,
  bus: createBusDelivery(system),
  stream: createStreamHandler(system),
  schedules: system.schedules,
});

export const handler = (event: unknown, context: Context) => dispatch(event, context);
