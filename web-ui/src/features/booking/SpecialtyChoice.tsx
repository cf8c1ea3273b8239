import { Select } from '@mantine/core';
import { type Specialty, specialtyLabels } from '@telemed/shared';
import { useT } from '../../i18n/LocaleProvider.js';
import { useFormatters } from '../formatting.js';

/** The specialty a consultation is asked of, searchable, in the person's language; required once tried. */
export function SpecialtyChoice({
  value,
  onChange,
  missing,
}: {
  value: Specialty | null;
  onChange: (specialty: Specialty | null) => void;
  /** The person tried to send without one: say it is required. */
  missing: boolean;
}) {
  const t = useT();
  const format = useFormatters();
  return (
    <Select
      label={t('booking.specialty')}
      placeholder={t('booking.chooseSpecialty')}
      data={Object.keys(specialtyLabels).map((specialty) => ({
        value: specialty,
        label: format.specialtyName(specialty),
      }))}
      value={value}
      onChange={(chosen) => onChange(chosen as Specialty | null)}
      searchable
      error={missing && !value ? t('booking.required') : undefined}
    />
  );
}
