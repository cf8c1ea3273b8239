/** One CSV cell: quoted when it must be, and never a formula a spreadsheet would run. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  // Leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line of `values`, ended as RFC 4180 ends lines. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The byte-order mark makes spreadsheet programs read Arabic text as UTF-8. */
export const csvByteOrderMark = '\uFEFF';
