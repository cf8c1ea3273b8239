import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session/SessionProvider.js';

export interface ApiData<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** GETs `path` with the session's token whenever the path changes; `null` skips the call. */
export function useApiData<T>(path: string | null): ApiData<T> {
  const { client } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    setError(undefined);
    // generation is read so that reload() refetches the same path.
    void generation;
    client
      .request<T>(path)
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
  }, [client, path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
