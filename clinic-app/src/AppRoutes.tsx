import { type AppIdentity, AppRouteScaffold, NetworkTestPage, networkTestPath } from '@telemed/web-ui';
import { Route } from 'react-router';
import { BookAppointmentPage } from './pages/BookAppointmentPage.js';
import { EditPatientPage } from './pages/EditPatientPage.js';
import { HomePage } from './pages/HomePage.js';
import { PatientPage } from './pages/PatientPage.js';
import { RegisterPatientPage } from './pages/RegisterPatientPage.js';
import { SignedNotePage } from './pages/SignedNotePage.js';
import { UrgentRequestPage } from './pages/UrgentRequestPage.js';

export const clinicApp: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};

/** The clinic app's screens, each at its own URL. */
export function AppRoutes() {
  return (
    <AppRouteScaffold app={clinicApp} consultations>
      <Route index element={<HomePage />} />
      <Route path="/consultations/:appointmentId/note" element={<SignedNotePage />} />
      <Route path="/patients/new" element={<RegisterPatientPage />} />
      <Route path="/patients/:id" element={<PatientPage />} />
      <Route path="/patients/:id/edit" element={<EditPatientPage />} />
      <Route path="/patients/:id/book" element={<BookAppointmentPage />} />
      <Route path="/patients/:id/urgent" element={<UrgentRequestPage />} />
      <Route path={networkTestPath} element={<NetworkTestPage />} />
    </AppRouteScaffold>
  );
}
