import '@mantine/core/styles.css';
import './styles.css';
import { type ComponentType, Fragment, type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppProviders } from './app/AppProviders.js';

export interface MountOptions {
  /** What an app keeps for as long as it is open, around its routes (the specialist's live signaling). */
  around?: ComponentType<{ children: ReactNode }>;
}

/**
 * Renders an app's route table into the page's `#root`, the same way for every app: the providers (theme, locale,
 * session, queries), then the app's own `around`, then the router. Mantine's styles and ours come bundled by
 * Vite (no CDN).
 */
export function mountApp(AppRoutes: ComponentType, { around: Around = Fragment }: MountOptions = {}): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html lacks #root');
  createRoot(root).render(
    <StrictMode>
      <AppProviders>
        <Around>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </Around>
      </AppProviders>
    </StrictMode>,
  );
}
