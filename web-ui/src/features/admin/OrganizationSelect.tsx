import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { OrganizationKind } from '@telemed/shared';
import { useState } from 'react';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';

/** Typing pauses this long before records is asked, so a search is not sent per keystroke. */
const searchDelayMs = 300;
const resultsPerSearch = 20;

export interface OrganizationSelectProps {
  label: string;
  /** Only clinics, or only hospitals (a role belongs to one kind); all kinds otherwise. */
  kind?: OrganizationKind | undefined;
  /** The chosen organization's id. */
  value: string | undefined;
  onChange(id: string | undefined): void;
  error?: string | undefined;
}

/**
 * Picks a clinic or hospital among thousands: the first page of active ones by name as it opens, then whatever
 * records finds for the words typed (Arabic or English names, searched on the server, debounced). Options read
 * as the name in the person's language, with the governorate beside it to tell namesakes apart.
 */
export function OrganizationSelect({ label, kind, value, onChange, error }: OrganizationSelectProps) {
  const t = useT();
  const { locale } = useLocale();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), searchDelayMs);
  // The box shows the chosen option's label once chosen: that is not a new search.
  const [chosen, setChosen] = useState<{ value: string; label: string } | undefined>(undefined);
  const searching = q.length > 0 && q !== chosen?.label;
  const query = useRecordsQuery('listOrganizations', {
    query: { ...(kind ? { kind } : {}), active: true, ...(searching ? { q } : {}), limit: resultsPerSearch },
  });
  const found = (query.data?.items ?? []).map((o) => ({
    value: o.id,
    label: `${locale === 'ar' ? o.name.ar : o.name.en}${locale === 'ar' ? '، ' : ', '}${o.governorate}`,
  }));
  const current = chosen && chosen.value === value && !found.some((o) => o.value === value) ? [chosen] : [];
  const more = query.data?.hasMore ? (query.data.total ?? 0) - found.length : 0;

  return (
    <Select
      label={label}
      placeholder={t('orgs.picker.placeholder')}
      description={more > 0 ? t('orgs.picker.more', { count: more }) : undefined}
      searchable
      clearable
      value={value || null}
      data={[...current, ...found]}
      // The server has searched already: every option it sent is shown, whatever the box says.
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={
        query.isError
          ? t('orgs.picker.failed')
          : query.isFetching
            ? t('orgs.picker.searching')
            : t('orgs.picker.none')
      }
      rightSection={query.isFetching ? <Loader size="xs" aria-hidden /> : undefined}
      onChange={(id, option) => {
        setChosen(id && option ? { value: id, label: option.label } : undefined);
        onChange(id ?? undefined);
      }}
      error={error}
      // Kept shown when the field scrolls off a short screen mid-search (and in jsdom, which has no layout).
      comboboxProps={{ withinPortal: true, hideDetached: false }}
    />
  );
}
