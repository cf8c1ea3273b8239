import { webAppConfig } from '../tooling/viteApp.js';

export default webAppConfig({ service: 'admin-app', portVariable: 'ADMIN_APP_PORT' });
