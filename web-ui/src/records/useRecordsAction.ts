import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessageOf, recordsQueryRoot } from './useRecordsQuery.js';

/**
 * One change a person asks of records from a button: `running` while it runs (for the button's spinner), the
 * refusal's message in `failure` if records refuses it, and every records query fetched again once it is done,
 * since a change can show on any screen. An action that stops short by the screen's own rule answers the
 * message to show instead.
 */
export function useRecordsAction() {
  const queryClient = useQueryClient();
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function run(action: () => Promise<string | undefined>): Promise<void> {
    setRunning(true);
    setFailure(null);
    try {
      const stoppedShort = await action();
      if (stoppedShort !== undefined) {
        setFailure(stoppedShort);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: [recordsQueryRoot] });
    } catch (error) {
      setFailure(errorMessageOf(error));
    } finally {
      setRunning(false);
    }
  }

  return { running, failure, setFailure, run };
}
