/**
 * What a bulk job's failure reason says of an error of ours (an import's, its undo's, a merchant
 * or tag rename's): never the error's own words. The reason is stored on the job's
 * record, which every member reads (GET), quoted in the starter's notification and push (a lock
 * screen) and carried by the job's finished event to every member's webhooks; an AWS error's
 * message names the account, the function's role, tables and queues, and a bug's is a stack's
 * first line. The error itself is the operators': the job runner logs it with each failed
 * attempt, and a start that could not queue its units logs it before failing the job.
 */
export const INTERNAL_FAILURE = 'an error on our side, logged for the operators';

/** An import's "what now", after its reason: what stays and what a second import does. */
export const IMPORT_AGAIN = 'rows recorded before stay, importing the file again adds only the rest';
