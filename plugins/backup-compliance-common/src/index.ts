/**
 * Shared pieces of the Backup Compliance plugins: annotations, their parser,
 * and permissions.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './api';
export * from './checks';
export * from './parseAnnotations';
export * from './permissions';
export * from './policies';
