import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { AppProviders } from '../app/AppProviders.js';
import { SessionClient } from '../session/SessionClient.js';

export interface RenderAppOptions {
  /** The records server to talk to (see startFakeRecords). */
  recordsUrl: string;
  /** Where the person opens the app; '/' unless given. */
  path?: string;
  locale?: 'ar' | 'en';
}

/** An app's routes with the providers the apps use, at a URL, talking to a records server over HTTP. */
export function renderApp(routes: ReactNode, { recordsUrl, path = '/', locale = 'ar' }: RenderAppOptions) {
  const client = new SessionClient(recordsUrl);
  return render(
    <AppProviders sessionClient={client} initialLocale={locale}>
      <MemoryRouter initialEntries={[path]}>{routes}</MemoryRouter>
    </AppProviders>,
  );
}
