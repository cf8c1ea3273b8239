import '@mantine/core/styles.css';
import './styles.css';
import { type ComponentType, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Renders an app into the page's `#root`, with Mantine's styles (bundled by Vite: no CDN) and ours. */
export function mountApp(App: ComponentType): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html lacks #root');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
