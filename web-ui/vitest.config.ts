import { packageProject } from '../tooling/vitest.shared.js';

export default packageProject('web-ui');
