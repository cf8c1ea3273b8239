import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

/**
 * What jsdom lacks and Mantine asks for: media queries (never matching: the phone-first layout) and
 * ResizeObserver (nothing resizes in jsdom). The tests look at roles, names and text, not at layout.
 */
// This machine is shared and slow at times: wait for the screen longer than the library's one second.
configure({ asyncUtilTimeout: 10_000 });

const inJsdom = typeof window !== 'undefined';
if (inJsdom && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (inJsdom && !window.ResizeObserver) {
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
// Mantine's Combobox scrolls the option the keyboard reaches into view; Textarea's autosize listens for fonts.
if (inJsdom && !Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
if (inJsdom && !document.fonts) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {} },
  });
}

afterEach(() => {
  if (!inJsdom) return;
  cleanup();
  localStorage.clear();
});
