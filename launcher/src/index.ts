// Tests that start the platform pick their ports with it.
export { freePorts } from '@telemed/service-kit';
export * from './startPlatform.js';
export * from './startPlatformOnFreePorts.js';
