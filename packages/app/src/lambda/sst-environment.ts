import { Resource } from 'sst/resource';
import { NO_PREVIOUS_SIGNING_KEY } from '../wiring/secrets';

/**
 * In AWS the function is linked (SST `link`) to the table, bus, queues and the key secrets; this
 * maps those linked resources onto the plain environment variables that loadConfig reads,
 * so the rest of the code never knows whether it runs on a laptop or in Lambda.
 */
/** A string property of a linked resource (Resource's own type is generated per app by SST). */
function linkedString(resource: string, property: string): string | undefined {
  const linked: unknown = Reflect.get(Resource, resource);
  const value: unknown = typeof linked === 'object' && linked !== null ? Reflect.get(linked, property) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The previous signing (or MFA) key, or undefined while the secret holds its placeholder (no rotation under way). */
const previousKey = (value: string | undefined) => (value === NO_PREVIOUS_SIGNING_KEY || value === '' ? undefined : value);

export function environmentFromLinks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const read = <T>(get: () => T): T | undefined => {
    try {
      return get();
    } catch {
      return undefined; // not linked (e.g. running the bundle outside AWS)
    }
  };
  return {
    ...env,
    TABLE_NAME: read(() => linkedString('Table', 'name')) ?? env.TABLE_NAME,
    EVENT_BUS_NAME: read(() => linkedString('Bus', 'name')) ?? env.EVENT_BUS_NAME,
    TOKEN_SIGNING_KEY: read(() => linkedString('TokenSigningKey', 'value')) ?? env.TOKEN_SIGNING_KEY,
    TOKEN_SIGNING_KEY_PREVIOUS: previousKey(read(() => linkedString('TokenSigningKeyPrevious', 'value')) ?? env.TOKEN_SIGNING_KEY_PREVIOUS),
    WEBHOOK_SECRETS_KEY: read(() => linkedString('WebhookSecretsKey', 'value')) ?? env.WEBHOOK_SECRETS_KEY,
    MFA_SECRETS_KEY: read(() => linkedString('MfaSecretsKey', 'value')) ?? env.MFA_SECRETS_KEY,
    MFA_SECRETS_KEY_PREVIOUS: previousKey(read(() => linkedString('MfaSecretsKeyPrevious', 'value')) ?? env.MFA_SECRETS_KEY_PREVIOUS),
    WEBHOOK_QUEUE_URL: read(() => linkedString('WebhookDeliveries', 'url')) ?? env.WEBHOOK_QUEUE_URL,
    JOB_QUEUE_URL: read(() => linkedString('JobQueue', 'url')) ?? env.JOB_QUEUE_URL,
    ATTACHMENTS_BUCKET: read(() => linkedString('Attachments', 'name')) ?? env.ATTACHMENTS_BUCKET,
  };
}
