/**
 * The names of the module's fan-out jobs, apart from their code: create-module.ts declares
 * them and loads each job's file on its first use (platform lazyJob).
 */
/** One-off operator job (`npm run job -- webhooks-reseal-secrets`): jobs/reseal-secrets-job.ts. */
export const RESEAL_SECRETS_JOB = 'webhooks-reseal-secrets';
/** The user.deleted cascade of a webhook's deliveries (`webhooks-on-users` queues it): jobs/deliveries-cleanup-job.ts. */
export const DELIVERIES_CLEANUP_JOB = 'webhooks-deliveries-cleanup';
/** A re-enabled webhook's waiting streams, each one's next delivery queued (the enabling PATCH queues it): jobs/resume-deliveries-job.ts. */
export const RESUME_DELIVERIES_JOB = 'webhooks-resume-deliveries';
