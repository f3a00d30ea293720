/**
 * The CloudWatch namespace of the jobs' EMF figures: one per stage, so two stages in one
 * account (a developer's and production) never add up in one graph or alarm (the figures'
 * only dimensions are the service and the job). Same shape as the guard metrics'
 * `Budgeting/Guards/<stage>`. infra/jobs.ts and infra/dashboard.ts read it from here.
 */
export const JOB_METRICS_NAMESPACE = 'Budgeting/Jobs';

export const jobMetricsNamespace = (stage: string) => `${JOB_METRICS_NAMESPACE}/${stage}`;
