export * from './createRecordsApp.js';
export * from './startRecordsService.js';
