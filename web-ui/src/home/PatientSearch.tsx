import { type FormEvent, useId, useState } from 'react';
import { useLocale } from '../i18n/LocaleProvider.js';
import { personName } from './formatting.js';
import { useApiData } from './useApiData.js';

/** Search the clinic's patients by any word of the name, the file number or the national ID. */
export function PatientSearch() {
  const { locale, t } = useLocale();
  const inputId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const { data, error, loading } = useApiData(
    'searchPatients',
    query === null ? null : { query: { q: query, limit: 20 } },
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim().length >= 2) setQuery(text.trim());
  }

  return (
    <section className="panel" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>{t('patients.heading')}</h2>
      <form className="search-form" onSubmit={submit}>
        <input
          id={inputId}
          type="search"
          dir="auto"
          aria-label={t('patients.placeholder')}
          placeholder={t('patients.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t('patients.search')}</button>
      </form>
      {loading && <p>{t('common.loading')}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t('patients.none')}</p>}
      {data && data.items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('appointments.patient')}</th>
              <th scope="col">{t('patients.mrn')}</th>
              <th scope="col">{t('patients.birthDate')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.id}>
                <td>{personName(p.name, locale)}</td>
                <td>
                  <bdi className="identifier">{p.mrn}</bdi>
                </td>
                <td>{p.birthDate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
