import { AppProviders, LiveSignalingProvider } from '@telemed/web-ui';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './AppRoutes.js';

export function App() {
  return (
    <AppProviders>
      <LiveSignalingProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </LiveSignalingProvider>
    </AppProviders>
  );
}
