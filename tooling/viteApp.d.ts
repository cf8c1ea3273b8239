import { type ServiceName } from '@telemed/shared';
import { type UserConfig } from 'vite';

interface AppSpec {
  service: Extract<ServiceName, 'clinic-app' | 'specialist-app' | 'admin-app'>;
  portVariable: 'CLINIC_APP_PORT' | 'SPECIALIST_APP_PORT' | 'ADMIN_APP_PORT';
}
/**
 * Vite config shared by the web apps. `vite preview` serves the built app on HOST and the app's port, and
 * proxies `/api` to the records service and `/socket.io` to the signaling server, so the browser talks to
 * one origin (as it will behind the hospital's reverse proxy).
 */
export declare function webAppConfig({ service, portVariable }: AppSpec): UserConfig;
//# sourceMappingURL=viteApp.d.ts.map
