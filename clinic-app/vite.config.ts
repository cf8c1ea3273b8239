import { webAppConfig } from '../tooling/viteApp.js';

export default webAppConfig({ service: 'clinic-app', portVariable: 'CLINIC_APP_PORT' });
