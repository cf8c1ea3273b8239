import { domProject } from '../tooling/vitest.shared.js';

export default domProject('admin-app');
