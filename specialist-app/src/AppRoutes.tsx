import { type AppIdentity, AppRouteScaffold } from '@telemed/web-ui';
import { Route } from 'react-router';
import { AvailabilityPage } from './pages/AvailabilityPage.js';
import { ConsultationNotePage } from './pages/ConsultationNotePage.js';
import { HomePage } from './pages/HomePage.js';
import { NotesPage } from './pages/NotesPage.js';
import { PatientHistoryPage } from './pages/PatientHistoryPage.js';
import { SchedulePage } from './pages/SchedulePage.js';
import { SpecialistSections } from './SpecialistSections.js';

export const specialistApp: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

/** The specialist app's screens, each at its own URL. */
export function AppRoutes() {
  return (
    <AppRouteScaffold app={specialistApp} consultations>
      <Route element={<SpecialistSections />}>
        <Route index element={<HomePage />} />
        <Route path="/schedule" element={<SchedulePage />} />
        <Route path="/notes" element={<NotesPage />} />
        <Route path="/patients/:patientId" element={<PatientHistoryPage />} />
        <Route path="/availability" element={<AvailabilityPage />} />
      </Route>
      <Route path="/consultations/:appointmentId/note" element={<ConsultationNotePage />} />
    </AppRouteScaffold>
  );
}
