export * from './demoRecords.js';
export * from './fakeRecordsServer.js';
export * from './renderApp.js';
export * from './renderSignedIn.js';
export * from './signIn.js';
