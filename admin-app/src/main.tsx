import { mountApp } from '@telemed/web-ui/mount';
import { App } from './App.js';

mountApp(App);
