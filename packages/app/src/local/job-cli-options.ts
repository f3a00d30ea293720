/**
 * The options `npm run job` accepts, declared here rather than inside job-cli.ts (which runs on
 * import) so the operator-docs test can check every `--<option>` a doc gives a job against them.
 */

/** A job's tick: its "now" (`--at <ISO-8601 time>`, default the current time). */
export const JOB_OPTIONS = { at: { type: 'string' } } as const;

/** What every operator operation takes besides its own options: who runs it (its audit names them). */
export const OPERATION_COMMON_OPTIONS = ['operator'] as const;
