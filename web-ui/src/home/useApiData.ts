import type { RecordsAnswer, RecordsCallArgs, RecordsRequest, RecordsRouteName } from '@telemed/shared';
import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session/SessionProvider.js';

export interface ApiData<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Calls the records route `name` with the session's token whenever the request changes; `null` skips the
 * call. The answer has been checked against the route table's schema: what a component reads is what it gets.
 */
export function useApiData<N extends RecordsRouteName>(
  name: N,
  request: RecordsRequest<N> | null,
): ApiData<RecordsAnswer<N>> {
  const { client } = useSession();
  const [data, setData] = useState<RecordsAnswer<N>>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  // Callers build the request inline: its text, not its identity, says whether it changed.
  const key = request === null ? null : JSON.stringify(request);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    setLoading(true);
    setError(undefined);
    // generation is read so that reload() calls again with the same request.
    void generation;
    const args = [JSON.parse(key)] as RecordsCallArgs<N>;
    client
      .call(name, ...args)
      .then(
        (answer) => {
          if (current) setData(answer);
        },
        (failure: unknown) => {
          if (current) setError(failure instanceof Error ? failure.message : String(failure));
        },
      )
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [client, name, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
