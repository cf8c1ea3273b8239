export * from './AudioLevelObserver.js';
export * from './Consumer.js';
export * from './EnhancedEventEmitter.js';
export * from './MediaEngine.js';
export * from './Producer.js';
export * from './Router.js';
export * from './WebRtcTransport.js';
export * from './Worker.js';
