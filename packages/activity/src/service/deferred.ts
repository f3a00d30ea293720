/**
 * What the module builds on first use, in ONE file (one chunk: each chunk a cold start loads
 * costs it a module load, see expenses' service/deferred.ts): the repository, the routes'
 * service, the subscriber's entry builder and the cleanup job. No cold start needs them
 * before a request, an event or a unit of this module arrives (issue 11).
 */
export { ActivityRepository, ENTRY_CLOSED_CHECK } from '../repository/activity.repository';
export { ActivityService } from './activity.service';
export { describe } from '../domain/describe';
export { activityCleanupJob } from '../jobs/activity-cleanup-job';
