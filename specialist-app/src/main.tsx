import { LiveSignalingProvider } from '@telemed/web-ui';
import { mountApp } from '@telemed/web-ui/mount';
import { AppRoutes } from './AppRoutes.js';

mountApp(AppRoutes, { around: LiveSignalingProvider });
