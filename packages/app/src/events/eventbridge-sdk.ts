// The two names the relay needs from the EventBridge SDK, for eventbridge-sender.ts to import
// lazily. Why a module of its own: a dynamic `import('@aws-sdk/client-eventbridge')` hands back
// the package's whole namespace, so esbuild must keep every command and schema of EventBridge
// (~25 KB more in the bundle). A static named import here lets it drop all the unused ones.
export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
