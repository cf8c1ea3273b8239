import { webAppConfig } from '../tooling/viteApp.js';

export default webAppConfig({ service: 'specialist-app', portVariable: 'SPECIALIST_APP_PORT' });
