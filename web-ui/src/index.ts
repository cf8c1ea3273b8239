export * from './api/requestJson.js';
export * from './i18n/LanguageSwitch.js';
export * from './i18n/LocaleProvider.js';
export * from './i18n/messages.js';
export * from './login/LoginScreen.js';
