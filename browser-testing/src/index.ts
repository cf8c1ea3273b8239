export * from './ensureChromium.js';
export * from './launchChromium.js';
export * from './serveBundledPage.js';
