import { fileURLToPath } from 'node:url';
import { type BundledPage, serveBundledPage } from '@telemed/browser-testing';

/** The call client's test page (`callPage/`: the real CallClient from web-ui), served on localhost. */
export function serveCallPage(): Promise<BundledPage> {
  return serveBundledPage(fileURLToPath(new URL('./callPage/', import.meta.url)));
}
