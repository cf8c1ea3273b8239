import { useEffect, useState } from 'react';

/** Whole minutes since `iso`, ticking while the screen shows it (every 15 s is fine for a minute count). */
export function useMinutesSince(iso: string | undefined, tickMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  if (!iso) return 0;
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
}
