import type { Options as UserEventOptions } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import type { AppIdentity } from '../features/session/AppIdentity.js';
import { LoginPage } from '../features/session/LoginPage.js';
import { RequireSession } from '../features/session/RequireSession.js';
import { type RenderAppOptions, renderApp } from './renderApp.js';
import { signIn } from './signIn.js';

export interface RenderSignedInOptions extends RenderAppOptions {
  username: string;
  password?: string;
  /** For the user-event session the test goes on with, e.g. `{ applyAccept: false }` to pick any file. */
  userEvent?: UserEventOptions;
}

/**
 * A page behind an app's sign-in, as the apps route it (the sign-in page at /login, the page guarded by the
 * session), signed in through that page as a person would. Answers the user-event session that signed in.
 */
export function renderSignedIn(
  app: AppIdentity,
  page: ReactNode,
  { username, password, userEvent, ...render }: RenderSignedInOptions,
) {
  renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage app={app} />} />
      <Route element={<RequireSession app={app} />}>
        <Route path="*" element={page} />
      </Route>
    </Routes>,
    render,
  );
  return signIn(username, { password, locale: render.locale, userEvent });
}
