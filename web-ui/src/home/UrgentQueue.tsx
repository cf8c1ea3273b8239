import { RecordsApiError } from '@telemed/shared';
import { useState } from 'react';
import { useLocale } from '../i18n/LocaleProvider.js';
import { useSession } from '../session/SessionProvider.js';
import { formatDateTime, personName } from './formatting.js';
import { useApiData } from './useApiData.js';

/** Urgent on-demand requests of the specialist's specialty; the first to take one gets it. */
export function UrgentQueue({ onTaken }: { onTaken?: () => void }) {
  const { locale, t } = useLocale();
  const { client } = useSession();
  const { data, error, reload } = useApiData('listUrgentRequests', {});
  const [failure, setFailure] = useState<string>();

  async function take(id: string) {
    setFailure(undefined);
    try {
      await client.call('pickUrgentRequest', { params: { id } });
      onTaken?.();
    } catch (e) {
      setFailure(e instanceof RecordsApiError ? e.message : String(e));
    }
    reload();
  }

  return (
    <section className="panel" aria-labelledby="urgent-heading">
      <h2 id="urgent-heading">{t('urgent.heading')}</h2>
      {(error || failure) && (
        <p className="form-error" role="alert">
          {failure ?? error}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t('urgent.empty')}</p>}
      <ul className="card-list">
        {data?.items.map((a) => (
          <li key={a.id} className="urgent">
            <strong>{personName(a.patient?.name, locale)}</strong> · {formatDateTime(a.start, locale)}
            <p dir="auto">{a.reason}</p>
            <button type="button" onClick={() => void take(a.id)}>
              {t('urgent.take')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
