import { packageProject } from '../tooling/vitest.shared.js';

export default packageProject('browser-testing', { testTimeout: 300_000, hookTimeout: 300_000 });
