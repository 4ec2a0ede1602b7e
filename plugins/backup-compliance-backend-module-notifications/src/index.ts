/**
 * Tells the owners of a service, through Backstage's notifications, when its backup
 * compliance gets worse or recovers, and before a waiver on it expires.
 *
 * @packageDocumentation
 */

export { backupComplianceModuleNotifications as default } from './module';
export { notificationOf } from './notificationOf';
