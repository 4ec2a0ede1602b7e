/**
 * Extension points and engine types of the Backup Compliance backend plugin,
 * for backend modules that add checks.
 *
 * @packageDocumentation
 */

export * from './extensionPoints';
export * from './types';
