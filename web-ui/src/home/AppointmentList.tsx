import { useMemo } from 'react';
import { useLocale } from '../i18n/LocaleProvider.js';
import type { MessageKey } from '../i18n/messages.js';
import { formatDateTime, personName, specialtyName } from './formatting.js';
import { useApiData } from './useApiData.js';

/** The signed-in person's next appointments (the server scopes them to the clinic or the specialist). */
export function AppointmentList() {
  const { locale, t } = useLocale();
  // From two hours ago, so the consultation running now stays on the list.
  const from = useMemo(() => new Date(Date.now() - 2 * 3600_000).toISOString(), []);
  const { data, error, loading } = useApiData('listAppointments', { query: { from, limit: 20 } });
  return (
    <section className="panel" aria-labelledby="appointments-heading">
      <h2 id="appointments-heading">{t('appointments.heading')}</h2>
      {loading && !data && <p>{t('common.loading')}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t('appointments.empty')}</p>}
      {data && data.items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('appointments.time')}</th>
              <th scope="col">{t('appointments.patient')}</th>
              <th scope="col">{t('appointments.specialty')}</th>
              <th scope="col">{t('appointments.reason')}</th>
              <th scope="col">{t('appointments.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((a) => (
              <tr key={a.id} className={a.priority === 'urgent' ? 'urgent' : undefined}>
                <td>{formatDateTime(a.start, locale)}</td>
                <td>
                  {personName(a.patient?.name, locale)}
                  {a.patient && (
                    <span className="muted">
                      {' · '}
                      <bdi className="identifier">{a.patient.mrn}</bdi>
                    </span>
                  )}
                </td>
                <td>{specialtyName(a.specialty, locale)}</td>
                <td dir="auto">{a.reason}</td>
                <td>
                  <span className={`status status-${a.status}`}>{t(`status.${a.status}` as MessageKey)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
