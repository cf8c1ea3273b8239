export * from './ConsultationSidePanels.js';
export * from './captureStill.js';
export * from './SnapshotButton.js';
export * from './useSnapshotResponder.js';
