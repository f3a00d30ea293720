/** Public entry of the notifications module: the only file other packages may import. */
export { createNotificationsModule, type NotificationsExportFacade, type NotificationsModulePorts } from './create-module';
