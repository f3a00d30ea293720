/**
 * What the module builds on first use, in ONE file (one chunk: each chunk a cold start loads
 * costs it a module load, see expenses' service/deferred.ts): the repositories, the fan-out
 * after events, the delivery worker and its HTTP client, the routes' services (the ping's too). No cold start
 * needs them before an event, a delivery or a webhooks request arrives (issue 11).
 */
export { WebhooksRepository } from '../repository/webhooks.repository';
export { DeliveriesRepository } from '../repository/deliveries.repository';
export { PingCounter } from '../repository/ping-counter';
export { answerSealer, sealerFromBase64 } from '../domain/secret-sealer';
export { FanOutService } from './fan-out.service';
export { DeliveryService } from './delivery.service';
export { createPoster } from './http-poster';
export { WebhooksService } from './webhooks.service';
export { PingService } from './ping.service';
export { webhookView } from '../routes/present';
