import { useRef } from 'react';
import type { NetworkTestProgress } from '../../call/precall/NetworkTest.js';
import { useLocale } from '../../i18n/LocaleProvider.js';
import { useSession } from '../../session/SessionProvider.js';
import type { PrecallMeasurement } from './precallVerdict.js';

/** Runs one network test; `signal` aborts it (the page went). */
export type NetworkTestRunner = (
  onProgress: (progress: NetworkTestProgress) => void,
  signal: AbortSignal,
) => Promise<PrecallMeasurement>;

/**
 * The real runner: its own signaling socket (with the session's token) for the length of the test, the
 * mediasoup loopback and a canvas test pattern. Loaded on first use: it carries mediasoup-client.
 */
export function useNetworkTestRunner(): NetworkTestRunner {
  const { client: session } = useSession();
  const { locale } = useLocale();
  const localeRef = useRef(locale);
  localeRef.current = locale;
  return async (onProgress, abort) => {
    const [{ SignalClient }, { MediasoupLoopbackOpener }, { NetworkTest }, { testPatternTrack }] =
      await Promise.all([
        import('../../call/SignalClient.js'),
        import('../../call/precall/MediasoupLoopback.js'),
        import('../../call/precall/NetworkTest.js'),
        import('../../call/precall/testPattern.js'),
      ]);
    const signal = new SignalClient({
      accessToken: () => session.accessToken,
      locale: () => localeRef.current,
    });
    const test = new NetworkTest(new MediasoupLoopbackOpener(signal, testPatternTrack));
    const cancel = () => test.cancel();
    abort.addEventListener('abort', cancel);
    try {
      return await test.run(onProgress);
    } finally {
      abort.removeEventListener('abort', cancel);
      signal.close();
    }
  };
}
