import { packageProject } from '../tooling/vitest.shared.js';

// Tests start real servers (and, for the crash test, child processes); give them room on a busy CI box.
export default packageProject('embedded-mongo', { testTimeout: 60_000, hookTimeout: 60_000 });
