/**
 * `410 Gone` from a webhook's endpoint: Standard Webhooks ("Delivery success and failure") reads
 * it as the receiver being "no longer interested in receiving webhooks from this source", and
 * has the sender disable the endpoint and stop sending it messages (DeliveryService: given up at
 * once). A module of its own: the delivery worker and the disabled mail both tell it apart, and
 * the mail's catalog must not load with the worker.
 */
export const GONE_STATUS = 410;

/** How the attempt that met it is recorded (the give-up's `last`: "HTTP 410"). */
export const GONE_LAST = `HTTP ${GONE_STATUS}`;
