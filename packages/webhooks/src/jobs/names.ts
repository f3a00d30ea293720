/**
 * The names of the module's fan-out jobs, apart from their code: create-module.ts declares
 * them and loads each job's file on its first use (platform lazyJob).
 */
/** One-off operator job (`npm run job -- webhooks-reseal-secrets`): jobs/reseal-secrets-job.ts. */
export const RESEAL_SECRETS_JOB = 'webhooks-reseal-secrets';
/** The user.deleted cascade of a webhook's deliveries (`webhooks-on-users` queues it): jobs/deliveries-cleanup-job.ts. */
export const DELIVERIES_CLEANUP_JOB = 'webhooks-deliveries-cleanup';
