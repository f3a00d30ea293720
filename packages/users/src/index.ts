/** Public entry of the users module: the only file other packages may import. */
export type { AccountExportSource, BudgetExportSource, ExportBudgetRole, ExportPage, ExportSourcesPort, CredentialNotice, UserSummary, UsersFacade } from './contract';
export type { UnsubscribeKind } from './domain/unsubscribe-token';
export { userRegistered, userDeleted, userEmailChanged, userNameChanged, type UserRegisteredData, type UserDeletedData, type UserEmailChangedData, type UserNameChangedData } from './events';
export { userDataExportFinished, type UserDataExportFinishedData } from './events';
export { userMfaResetByOperator, type UserMfaResetByOperatorData } from './events';
export { userSuspended, userUnsuspended, type UserSuspendedData, type UserUnsuspendedData } from './events';
export { userSignedInFromNewPlace, type UserSignedInFromNewPlaceData } from './events';
export { userSessionsEnded, type UserSessionsEndedData } from './events';
export { createUsersModule, type UsersModuleOptions, type UsersModulePorts } from './create-module';
