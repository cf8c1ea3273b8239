import type { PatientInput } from '@telemed/shared';
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../app/AppProviders.js';
import { PatientForm } from './PatientForm.js';

const renderForm = (locale: 'ar' | 'en', submitted: PatientInput[] = []) =>
  render(
    <AppProviders initialLocale={locale}>
      <PatientForm
        heading="patientForm.registerHeading"
        submitLabel="patientForm.register"
        onSubmit={async (input) => {
          submitted.push(input);
        }}
      />
    </AppProviders>,
  );

/** The text of the error shown under the field labelled `label`. */
function errorOf(label: string): string | null {
  const input = screen.getByLabelText(label, { exact: false, selector: 'input' });
  const describedBy = input.getAttribute('aria-describedby') ?? '';
  const ids = describedBy.split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || null;
}

describe('PatientForm', () => {
  it.each([
    [
      'en',
      'Register patient',
      'Name in Arabic',
      'Medical record number',
      'Birth date',
      'This field is required.',
      'Use 1 to 32 Latin letters, digits or "-".',
      'Enter the birth date.',
    ],
    [
      'ar',
      'تسجيل المريض',
      'الاسم بالعربية',
      'رقم الملف الطبي',
      'تاريخ الميلاد',
      'هذا الحقل مطلوب.',
      null,
      'أدخل تاريخ الميلاد.',
    ],
  ] as const)(
    'in %s, an empty form names every missing field under it and sends nothing',
    async (locale, submit, nameLabel, mrnLabel, birthLabel, required, mrnMessage, birthMessage) => {
      const submitted: PatientInput[] = [];
      renderForm(locale, submitted);
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: submit }));
      expect(await screen.findAllByText(required)).not.toHaveLength(0);
      expect(errorOf(nameLabel)).toBe(required);
      if (mrnMessage) expect(errorOf(mrnLabel)).toBe(mrnMessage);
      else expect(errorOf(mrnLabel)).toMatch(/[\u0600-\u06FF]/);
      expect(errorOf(birthLabel)).toBe(birthMessage);
      expect(submitted).toEqual([]);
    },
  );

  it.each([
    ['en', 'National ID', '1850412010024', 'A national ID is 14 digits starting with 2 or 3.'],
    ['en', 'National ID', '28513120100248', 'Digits 2 to 7 must be a real birth date (YYMMDD).'],
    ['en', 'National ID', '28504129900248', 'Digits 8 and 9 must be a governorate code.'],
    ['ar', 'الرقم القومي', '1850412010024', 'الرقم القومي ١٤ رقماً يبدأ بـ ٢ أو ٣.'],
    [
      'ar',
      'الرقم القومي',
      '28513120100248',
      'الأرقام من ٢ إلى ٧ يجب أن تكون تاريخ ميلاد صحيحاً (سنة شهر يوم).',
    ],
    ['ar', 'الرقم القومي', '28504129900248', 'الرقمان ٨ و٩ يجب أن يكونا رمز محافظة صحيحاً.'],
  ] as const)('in %s (%s), %s is refused with the rule it breaks', async (locale, label, id, message) => {
    renderForm(locale);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(label, { exact: false, selector: 'input' }), id);
    await user.click(
      screen.getByRole('button', { name: locale === 'en' ? 'Register patient' : 'تسجيل المريض' }),
    );
    expect(await screen.findByText(message)).toBeTruthy();
    expect(errorOf(label)).toBe(message);
  });

  it('fills the birth date and sex from a valid national ID, and sends the patient', async () => {
    const submitted: PatientInput[] = [];
    renderForm('en', submitted);
    const user = userEvent.setup();
    await user.type(
      screen.getByLabelText('Name in Arabic', { exact: false, selector: 'input' }),
      'منى عبد الرحيم',
    );
    await user.type(
      screen.getByLabelText('Name in Latin letters', { exact: false, selector: 'input' }),
      'Mona Abdelrahim',
    );
    await user.type(
      screen.getByLabelText('Medical record number', { exact: false, selector: 'input' }),
      'ABN-77',
    );
    // A man born on 1985-04-12 in Cairo (01): digit 13 is odd.
    await user.type(
      screen.getByLabelText('National ID', { exact: false, selector: 'input' }),
      '28504120100258',
    );
    await user.tab();
    // Shown in words, in the field the Tab moved to.
    await waitFor(() =>
      expect(
        (screen.getByLabelText('Birth date', { exact: false, selector: 'input' }) as HTMLInputElement).value,
      ).toBe('12 April 1985'),
    );
    expect(document.activeElement).toBe(
      screen.getByLabelText('Birth date', { exact: false, selector: 'input' }),
    );
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await screen.findByRole('button', { name: 'Register patient' });
    await expect.poll(() => submitted.length).toBe(1);
    expect(submitted[0]).toMatchObject({
      name: { ar: 'منى عبد الرحيم', latin: 'Mona Abdelrahim' },
      mrn: 'ABN-77',
      nationalId: '28504120100258',
      birthDate: '1985-04-12',
      sex: 'male',
    });
    expect(errorOf('National ID')).toBeNull();
  });
});
