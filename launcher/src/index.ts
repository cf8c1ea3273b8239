export * from './startPlatform.js';
