/** `navigator.connection` (the Network Information API): Chromium has it, Firefox and Safari do not. */
interface NetworkInformationLike {
  addEventListener(type: 'change', listener: () => void): void;
  removeEventListener(type: 'change', listener: () => void): void;
}

/**
 * Calls `changed` when the browser says the network changed: `online` (back from offline, often on another
 * network) and, where there is one, `navigator.connection`'s `change` (another interface, another type).
 * Answers the function that stops listening. Outside a browser there is nothing to listen to.
 */
export function onNetworkChange(changed: () => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const connection = (navigator as Navigator & { connection?: NetworkInformationLike }).connection;
  window.addEventListener('online', changed);
  connection?.addEventListener('change', changed);
  return () => {
    window.removeEventListener('online', changed);
    connection?.removeEventListener('change', changed);
  };
}
