export * from './CallClient.js';
export * from './CallMedia.js';
export * from './CallProvider.js';
export * from './devices.js';
export * from './networkQuality.js';
export * from './SignalClient.js';
