export interface DownloadedFile {
  type: string;
  count: number | undefined;
  bytes: number;
  path: string;
}

/** The export's files as an aligned text table with a total line: type, count, bytes, file. */
export function summaryTable(files: readonly DownloadedFile[]): string {
  const rows = files.map((f) => [
    f.type,
    f.count === undefined ? '?' : String(f.count),
    String(f.bytes),
    f.path,
  ]);
  const knownCount = files.every((f) => f.count !== undefined);
  rows.push([
    'total',
    knownCount ? String(files.reduce((sum, f) => sum + (f.count ?? 0), 0)) : '?',
    String(files.reduce((sum, f) => sum + f.bytes, 0)),
    '',
  ]);
  const header = ['type', 'count', 'bytes', 'file'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Numbers are right-aligned so that their magnitudes line up.
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.slice(0, -1).map(line), rule, line(rows.at(-1)!)].join('\n');
}
