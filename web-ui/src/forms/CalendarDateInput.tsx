import '@mantine/dates/styles.css';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { useT } from '../i18n/LocaleProvider.js';
import { type IsoDate, parseTypedDate } from './calendarDate.js';

export interface CalendarDateInputProps
  extends Omit<DateInputProps, 'value' | 'defaultValue' | 'onChange' | 'valueFormat' | 'dateParser'> {
  /** `YYYY-MM-DD`, or empty/null for none. */
  value: IsoDate | null | undefined;
  onChange(value: IsoDate | null): void;
}

/**
 * A calendar day, typed or picked from a calendar, in the person's language: Arabic month names and
 * Arabic-Indic digits, a right-to-left calendar whose weeks start on Saturday (the `DatesProvider` in
 * `AppProviders`). The value stays `YYYY-MM-DD`, as the forms, the URLs and the API hold it; a person may type it
 * that way or day first (`٧/١٢/٢٠٢٦`). It replaces `<input type="date">`, which shows mm/dd/yyyy and Latin digits
 * whatever the page's language.
 */
export function CalendarDateInput({ value, onChange, ...props }: CalendarDateInputProps) {
  const intl = useIntl();
  const t = useT();
  const digits = (n: number) => intl.formatNumber(n, { useGrouping: false });
  const input = useRef<HTMLInputElement>(null);
  // Mantine's DateInput keeps the text it shows while its calendar is open (as while focused), so a value set
  // from outside (the birth date filled in from the national ID, a URL opened anew) is shown by a fresh input,
  // which takes the focus (and so opens its calendar) if the old one had it.
  const emitted = useRef(value || null);
  const [generation, setGeneration] = useState(0);
  const refocus = useRef(false);
  useEffect(() => {
    if ((value || null) === emitted.current) return;
    emitted.current = value || null;
    // After the event that set it is over: a click or a Tab that set it (by leaving the national ID) lands here.
    const later = setTimeout(() => {
      refocus.current = document.activeElement === input.current;
      setGeneration((g) => g + 1);
    }, 0);
    return () => clearTimeout(later);
  }, [value]);
  useEffect(() => {
    if (generation > 0 && refocus.current) input.current?.focus();
    refocus.current = false;
  }, [generation]);
  return (
    <DateInput
      {...props}
      key={generation}
      ref={input}
      value={value || null}
      onChange={(next) => {
        emitted.current = next ? next.slice(0, 10) : null;
        onChange(emitted.current);
      }}
      valueFormat={(day) =>
        intl.formatDate(day, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      }
      dateParser={parseTypedDate}
      renderDay={(day) => digits(Number(day.slice(8, 10)))}
      getDayAriaLabel={(day) => intl.formatDate(day, { dateStyle: 'full', timeZone: 'UTC' })}
      ariaLabels={{
        previousMonth: t('dates.previousMonth'),
        nextMonth: t('dates.nextMonth'),
        previousYear: t('dates.previousYear'),
        nextYear: t('dates.nextYear'),
        previousDecade: t('dates.previousDecade'),
        nextDecade: t('dates.nextDecade'),
        monthLevelControl: t('dates.chooseMonth'),
        yearLevelControl: t('dates.chooseYear'),
        ...props.ariaLabels,
      }}
      clearButtonProps={{ 'aria-label': t('dates.clear'), ...props.clearButtonProps }}
      placeholder={props.placeholder ?? t('dates.placeholder')}
    />
  );
}
