export * from './freePorts.js';
export * from './healthEndpoints.js';
export * from './logger.js';
export * from './redisServer.js';
export * from './requestLogger.js';
export * from './runService.js';
export * from './VerifiedTokenCache.js';
export * from './verifyAccessToken.js';
