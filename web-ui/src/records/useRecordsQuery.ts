import {
  type UseMutationResult,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  type RecordsAnswer,
  RecordsApiError,
  type RecordsCallArgs,
  type RecordsRequest,
  type RecordsRouteName,
} from '@telemed/shared';
import { useSession } from '../session/SessionProvider.js';

/** Every records query's cache key starts with this, so one call can refresh them all. */
export const recordsQueryRoot = 'records';

export interface RecordsQueryOptions {
  /** false: do not call yet (e.g. no search text). */
  enabled?: boolean;
  /** Poll every so many milliseconds while the screen is shown. */
  refetchInterval?: number;
  /** 'always': read again when the screen opens, even if the cache is fresh (live notices keep it fresh). */
  refetchOnMount?: boolean | 'always';
}

/**
 * Server state from the records route `name`, cached by TanStack Query under the route and its request. The
 * answer has been checked against the route table's schema: what a component reads is what it gets.
 */
export function useRecordsQuery<N extends RecordsRouteName>(
  name: N,
  request: RecordsRequest<N>,
  options: RecordsQueryOptions = {},
): UseQueryResult<RecordsAnswer<N>, Error> {
  const { client } = useSession();
  return useQuery({
    queryKey: [recordsQueryRoot, name, request],
    queryFn: () => client.call(name, ...([request] as RecordsCallArgs<N>)),
    ...options,
  });
}

/**
 * A change through the records route `name`; on success every records query is refetched, since a change
 * (taking an urgent case, say) shows up in other lists.
 */
export function useRecordsMutation<N extends RecordsRouteName>(
  name: N,
): UseMutationResult<RecordsAnswer<N>, Error, RecordsRequest<N>> {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: RecordsRequest<N>) => client.call(name, ...([request] as RecordsCallArgs<N>)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [recordsQueryRoot] }),
  });
}

/** Refusals and bad requests (4xx) are answers, not glitches: retrying them only delays the message. */
export function shouldRetryRecordsCall(failureCount: number, error: unknown): boolean {
  if (error instanceof RecordsApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The message to show for a failed call: records' own (already in the person's language) or the error's. */
export function errorMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
