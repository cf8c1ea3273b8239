import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';

/** Typing pauses this long before records is asked, so a search is not sent per keystroke. */
const searchDelayMs = 300;
/** A lookup reads names: it waits for two letters (or an MRN's digits), not one. */
const shortestSearch = 2;
const resultsPerSearch = 20;

export interface AuditLookupSelectProps {
  /** People (accounts) or patients. */
  kind: 'people' | 'patients';
  label: string;
  /** The chosen id, as the URL holds it. */
  value: string | undefined;
  /** How the chosen id reads when no search has listed it yet (a bookmarked filter): a name from the trail. */
  selectedLabel?: string | undefined;
  onChange(id: string | undefined): void;
}

/**
 * Finds a person or a patient for the audit trail's filter by name as the auditor types (username, MRN and
 * national ID too), searched on the server; the filter keeps the id. Options read as the name in the person's
 * language with who they are (role and organization, or MRN and clinic) beside it.
 */
export function AuditLookupSelect({ kind, label, value, selectedLabel, onChange }: AuditLookupSelectProps) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormatters();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), searchDelayMs);
  // The search box shows the chosen option's label once chosen: that is not a new search.
  const [chosenLabel, setChosenLabel] = useState<string | undefined>(undefined);
  const enabled = q.length >= shortestSearch && q !== chosenLabel && q !== selectedLabel;
  const request = { query: { q, limit: resultsPerSearch } };
  const people = useRecordsQuery('findAuditPeople', request, { enabled: enabled && kind === 'people' });
  const patients = useRecordsQuery('findAuditPatients', request, { enabled: enabled && kind === 'patients' });
  const where = (name: { ar: string; en: string } | undefined) =>
    name ? `${locale === 'ar' ? '، ' : ', '}${locale === 'ar' ? name.ar : name.en}` : '';

  const found =
    kind === 'people'
      ? (people.data?.items ?? []).map((p) => ({
          value: p.id,
          label: `${format.personName(p.name)} — ${t(`audit.role.${p.role}`)}${where(p.organization?.name)}`,
        }))
      : (patients.data?.items ?? []).map((p) => ({
          value: p.id,
          label: `${format.personName(p.name)} — ${p.mrn}${where(p.clinic?.name)}`,
        }));
  const current =
    value && !found.some((o) => o.value === value)
      ? [{ value, label: chosenLabel ?? selectedLabel ?? value }]
      : [];
  const loading = enabled && (kind === 'people' ? people.isFetching : patients.isFetching);
  const failed = kind === 'people' ? people.isError : patients.isError;

  return (
    <Select
      label={label}
      placeholder={t('audit.lookup.placeholder')}
      searchable
      clearable
      value={value ?? null}
      data={[...current, ...found]}
      // The server has searched already: every option it sent is shown, whatever the box says.
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={
        failed
          ? t('audit.lookup.failed')
          : q.length < shortestSearch
            ? t('audit.lookup.typeMore')
            : loading
              ? t('audit.lookup.searching')
              : t('audit.lookup.none')
      }
      rightSection={loading ? <Loader size="xs" aria-hidden /> : undefined}
      onChange={(id, option) => {
        setChosenLabel(id ? option?.label : undefined);
        onChange(id ?? undefined);
      }}
      // Kept shown when the field scrolls off a short screen mid-search (and in jsdom, which has no layout).
      comboboxProps={{ withinPortal: true, hideDetached: false }}
      miw={240}
    />
  );
}
