import { domProject } from '../tooling/vitest.shared.js';

export default domProject('clinic-app');
