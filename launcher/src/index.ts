export * from './freePorts.js';
export * from './startPlatform.js';
