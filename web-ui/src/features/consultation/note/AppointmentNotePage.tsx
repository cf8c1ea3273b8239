import { Anchor, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../../records/useRecordsQuery.js';
import { QueryState } from '../../QueryState.js';

/**
 * `/consultations/:appointmentId/note` in either app: the appointment's consultation (records opens it on
 * first read), handed to `render` (the specialist's editor, the clinic's signed note).
 */
export function AppointmentNotePage({ render }: { render(consultationId: string): ReactNode }) {
  const t = useT();
  const { appointmentId = '' } = useParams();
  const query = useRecordsQuery('openConsultation', { params: { appointmentId } });
  return (
    <Stack gap="sm">
      <Anchor component={Link} to="/" className="no-print" size="sm">
        {t('note.page.backHome')}
      </Anchor>
      {query.data ? render(query.data.id) : <QueryState query={query} />}
    </Stack>
  );
}
