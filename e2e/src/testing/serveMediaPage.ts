import { fileURLToPath } from 'node:url';
import { type BundledPage, serveBundledPage } from '@telemed/browser-testing';

/** The media test page (`mediaPage/`: mediasoup-client driven by signaling's media events), served on localhost. */
export function serveMediaPage(): Promise<BundledPage> {
  return serveBundledPage(fileURLToPath(new URL('./mediaPage/', import.meta.url)));
}
