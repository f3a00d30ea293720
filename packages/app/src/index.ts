/** The deployable: composition root, HTTP app, Lambda entry and local runtime. */
export { createSystem, type System, type SystemOptions } from './system';
export { createApp } from './http/create-app';
export { createTriggerDispatcher, classifyEvent, type TriggerKind } from './lambda/dispatch';
