export * from './ensureChromium.js';
export * from './launchChromium.js';
