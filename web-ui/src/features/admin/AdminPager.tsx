import { Pagination } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';

/** The admin lists' page numbers, shown only when there is more than one page; each control named aloud. */
export function AdminPager({
  pages,
  page,
  onChange,
}: {
  pages: number;
  page: number;
  onChange: (page: number) => void;
}) {
  const t = useT();
  if (pages <= 1) return null;
  return (
    <Pagination
      mt="sm"
      total={pages}
      value={page}
      onChange={onChange}
      getControlProps={(control) => ({ 'aria-label': t(`admin.pager.${control}`) })}
    />
  );
}
