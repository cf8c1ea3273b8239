import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A list shown as a table (the `data-table` look): its column headers, then the rows given, scrolling sideways
 * below `minWidth` so a phone keeps every column readable.
 */
export function DataTable({
  minWidth,
  headers,
  label,
  highlightOnHover,
  children,
}: {
  minWidth: number;
  headers: string[];
  /** The table's accessible name, where no heading names it. */
  label?: string;
  highlightOnHover?: boolean;
  /** The body's `<Table.Tr>` rows. */
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table
        className="data-table"
        striped
        highlightOnHover={highlightOnHover}
        verticalSpacing="xs"
        aria-label={label}
      >
        <Table.Thead>
          <Table.Tr>
            {headers.map((header) => (
              <Table.Th key={header} scope="col">
                {header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
