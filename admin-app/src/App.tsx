import { AppProviders } from '@telemed/web-ui';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './AppRoutes.js';

export function App() {
  return (
    <AppProviders>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  );
}
