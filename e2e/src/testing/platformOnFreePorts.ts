/** The platform on free ports lives in the launcher, where the signaling bench uses it too. */
export { startPlatformOnFreePorts } from '@telemed/launcher';
