import {
  ActionIcon,
  Badge,
  Combobox,
  Group,
  Loader,
  Radio,
  Stack,
  Text,
  TextInput,
  useCombobox,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Icd10Entry } from '@telemed/shared';
import { useState } from 'react';
import { useLocale, useT } from '../../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../../records/useRecordsQuery.js';
import type { NoteForm } from './noteFields.js';

export type Diagnosis = NoteForm['diagnoses'][number];

/** Typing pauses this long before records is asked, so a search is not sent per keystroke. */
const searchDelayMs = 250;
/** The stored text is a short text (200 characters at most); a few catalog titles are longer. */
const maxDiagnosisText = 200;

export interface Icd10PickerProps {
  value: Diagnosis[];
  onChange(value: Diagnosis[]): void;
  readOnly?: boolean;
  error?: string;
}

/**
 * Picks ICD-10 diagnoses from records' catalog as the person types, by code (`E11`) or by word in Arabic or
 * English, shown as code and name in the person's language. Several may be chosen; exactly one is primary.
 */
export function Icd10Picker({ value, onChange, readOnly = false, error }: Icd10PickerProps) {
  const t = useT();
  const { locale } = useLocale();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), searchDelayMs);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const query = useRecordsQuery('searchIcd10', { query: { q, limit: 15 } }, { enabled: q.length > 0 });
  const nameOf = (entry: Icd10Entry) => (locale === 'ar' ? entry.ar : entry.en);
  const chosen = new Set(value.map((d) => d.code));
  const results = (q.length > 0 && q === search.trim() ? (query.data?.items ?? []) : []).filter(
    (entry) => !chosen.has(entry.code),
  );

  function choose(code: string) {
    const entry = results.find((e) => e.code === code);
    if (!entry) return;
    const kind = value.some((d) => d.kind !== 'secondary') ? 'secondary' : 'primary';
    onChange([...value, { code: entry.code, text: nameOf(entry).slice(0, maxDiagnosisText), kind }]);
    setSearch('');
    combobox.closeDropdown();
  }

  function makePrimary(code: string) {
    onChange(value.map((d) => ({ ...d, kind: d.code === code ? 'primary' : 'secondary' })));
  }

  function remove(code: string) {
    const left = value.filter((d) => d.code !== code);
    // One stays primary: removing the primary promotes the next.
    const [first, ...rest] = left;
    if (first && !left.some((d) => d.kind !== 'secondary'))
      onChange([{ ...first, kind: 'primary' }, ...rest]);
    else onChange(left);
  }

  const primary = value.find((d) => d.kind !== 'secondary')?.code ?? '';
  const searching = q.length > 0 && (query.isFetching || q !== search.trim());
  return (
    <Stack gap="xs">
      {!readOnly && (
        // Kept shown when the field scrolls off a short tablet screen mid-search (and in jsdom, which has no layout).
        <Combobox store={combobox} onOptionSubmit={choose} hideDetached={false}>
          <Combobox.Target>
            <TextInput
              label={t('note.diagnoses.search')}
              description={t('note.diagnoses.hint')}
              placeholder={t('note.diagnoses.placeholder')}
              value={search}
              error={error}
              rightSection={searching ? <Loader size="xs" aria-hidden /> : null}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                combobox.openDropdown();
                combobox.updateSelectedOptionIndex();
              }}
              onFocus={() => combobox.openDropdown()}
              onBlur={() => combobox.closeDropdown()}
            />
          </Combobox.Target>
          <Combobox.Dropdown hidden={search.trim() === ''}>
            <Combobox.Options
              aria-label={t('note.diagnoses.results')}
              mah={280}
              style={{ overflowY: 'auto' }}
            >
              {results.map((entry) => (
                <Combobox.Option
                  value={entry.code}
                  key={entry.code}
                  aria-label={`${entry.code} ${nameOf(entry)}`}
                >
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    <Badge variant="light" style={{ flexShrink: 0 }}>
                      <bdi className="identifier">{entry.code}</bdi>
                    </Badge>
                    <Text size="sm">{nameOf(entry)}</Text>
                  </Group>
                </Combobox.Option>
              ))}
              {!searching && q.length > 0 && results.length === 0 && (
                <Combobox.Empty>
                  {query.isError ? t('note.diagnoses.failed') : t('note.diagnoses.none')}
                </Combobox.Empty>
              )}
            </Combobox.Options>
          </Combobox.Dropdown>
        </Combobox>
      )}
      {value.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('note.diagnoses.empty')}
        </Text>
      ) : (
        <Radio.Group
          value={primary}
          onChange={makePrimary}
          label={t('note.diagnoses.chosen')}
          description={readOnly ? undefined : t('note.diagnoses.primaryHint')}
        >
          <Stack gap={6} mt={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {value.map((d) => (
              <Group component="li" key={d.code} gap="xs" wrap="nowrap" align="center">
                <Radio
                  value={d.code}
                  disabled={readOnly}
                  aria-label={t('note.diagnoses.makePrimary', { code: d.code })}
                />
                <Badge variant="outline" style={{ flexShrink: 0 }}>
                  <bdi className="identifier">{d.code}</bdi>
                </Badge>
                <Text size="sm" style={{ flex: 1, minWidth: 0 }}>
                  {d.text}
                </Text>
                {d.kind !== 'secondary' && (
                  <Badge color="teal" variant="light" style={{ flexShrink: 0 }}>
                    {t('note.diagnoses.primary')}
                  </Badge>
                )}
                {!readOnly && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('note.diagnoses.remove', { code: d.code })}
                    onClick={() => remove(d.code)}
                  >
                    <span aria-hidden>×</span>
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
        </Radio.Group>
      )}
    </Stack>
  );
}
