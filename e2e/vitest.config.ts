import { packageProject } from '../tooling/vitest.shared.js';

export default packageProject('e2e', { testTimeout: 120_000, hookTimeout: 240_000, fileParallelism: false });
