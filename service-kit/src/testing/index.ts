export * from './englishOnlyAppErrors.js';
