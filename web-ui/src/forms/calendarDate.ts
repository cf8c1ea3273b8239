/** A calendar day as the forms, the URLs and the API hold it: `YYYY-MM-DD`. */
export type IsoDate = string;

const easternDigits = /[\u0660-\u0669\u06f0-\u06f9]/g;
const directionMarks = /[\u200e\u200f\u061c]/g;

/**
 * The day a person typed, or null: `2026-12-07` or `7/12/2026` (day first, as Egypt writes it), with Latin or
 * Arabic-Indic digits and `/`, `-` or `.` between the parts. A day that does not exist (31 February) is null.
 */
export function parseTypedDate(text: string): IsoDate | null {
  const plain = text
    .replace(easternDigits, (d) => String((d.codePointAt(0) as number) & 0xf))
    .replace(directionMarks, '')
    .trim();
  const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(plain);
  const dayFirst = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(plain);
  const [year, month, day] = yearFirst
    ? [yearFirst[1], yearFirst[2], yearFirst[3]]
    : dayFirst
      ? [dayFirst[3], dayFirst[2], dayFirst[1]]
      : [];
  if (!year || !month || !day) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}
