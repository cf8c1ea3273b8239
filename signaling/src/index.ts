export * from './auth/AccountWatch.js';
export * from './auth/TokenVerifier.js';
export * from './records/RecordsAccountClient.js';
export * from './SignalingServer.js';
export * from './startSignalingService.js';
