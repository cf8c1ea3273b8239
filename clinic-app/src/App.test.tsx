import { messages } from '@telemed/web-ui';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from './App.js';

describe('clinic-app', () => {
  it('opens on the Arabic login screen of the clinic app', () => {
    const html = renderToStaticMarkup(<App />);
    expect(html).toContain(messages.ar['app.clinic.title']);
    expect(html).toContain(messages.ar['login.heading']);
  });
});
