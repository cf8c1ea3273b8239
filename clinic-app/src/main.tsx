import { mountApp } from '@telemed/web-ui/mount';
import { AppRoutes } from './AppRoutes.js';

mountApp(AppRoutes);
