import { messages } from '@telemed/web-ui';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from './App.js';

describe('specialist-app', () => {
  it('starts in Arabic, checking for an existing session before showing sign-in', () => {
    const html = renderToStaticMarkup(<App />);
    expect(html).toContain(messages.ar['session.restoring']);
    expect(html).not.toContain(messages.en['session.restoring']);
  });
});
