import { packageProject } from '../tooling/vitest.shared.js';

export default packageProject('sfu', { testTimeout: 120_000, hookTimeout: 120_000 });
