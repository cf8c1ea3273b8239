export * from './rtpParameters.js';
export * from './sfuControlApi.js';
export * from './sfuControlClient.js';
