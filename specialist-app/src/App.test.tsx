import { messages } from '@telemed/web-ui';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from './App.js';

describe('specialist-app', () => {
  it('opens on the Arabic login screen of the specialist app', () => {
    const html = renderToStaticMarkup(<App />);
    expect(html).toContain(messages.ar['app.specialist.title']);
    expect(html).toContain(messages.ar['login.heading']);
  });
});
