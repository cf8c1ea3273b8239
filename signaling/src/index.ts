export * from './auth/TokenVerifier.js';
export * from './SignalingServer.js';
export * from './startSignalingService.js';
