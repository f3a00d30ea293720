/**
 * What the data export's jobs load on their first unit, in ONE file (one chunk, see expenses'
 * service/deferred.ts): no cold HTTP request evaluates any of it.
 */
export { dataExportJob } from './data-export-job';
export { exportsCleanupJob } from './exports-cleanup-job';
export { DataExportWork } from '../service/data-export-work';
export { sentOnce } from './mail-job';
export { DataExportsRepository } from '../repository/data-exports.repository';
export { SessionsRepository } from '../repository/sessions.repository';
export { PersonalTokensRepository } from '../repository/personal-tokens.repository';
export { MfaRepository } from '../repository/mfa.repository';
export { MAX_PERSONAL_TOKENS } from '../service/personal-tokens.service';
