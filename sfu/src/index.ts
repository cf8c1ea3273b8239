export * from './engine/index.js';
export { selectEngine } from './engine/selectEngine.js';
export { ThreadedWeriftEngine } from './engine/werift/threaded/ThreadedWeriftEngine.js';
export { WeriftEngine } from './engine/werift/WeriftEngine.js';
export type { PacketFilter, WeriftWebRtcTransport } from './engine/werift/WeriftWebRtcTransport.js';
export { RoomRegistry } from './service/RoomRegistry.js';
export { type StartedSfu, startSfuService } from './service/SfuService.js';
export { loadSfuConfig, type SfuConfig, sfuConfigNames } from './service/sfuConfig.js';
export { turnIceServers } from './service/turnCredentials.js';
