import { Textarea } from '@mantine/core';
import type { MessageKey } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';

/** Why the patient needs the consultation, in the clinic's own words (either script); required once tried. */
export function ReasonField({
  label,
  value,
  onChange,
  missing,
}: {
  label: MessageKey;
  value: string;
  onChange: (reason: string) => void;
  /** The person tried to send without one: say it is required. */
  missing: boolean;
}) {
  const t = useT();
  return (
    <Textarea
      label={t(label)}
      dir="auto"
      autosize
      minRows={2}
      maxLength={2000}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={missing && !value.trim() ? t('booking.required') : undefined}
    />
  );
}
