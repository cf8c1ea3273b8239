import {
  type AppIdentity,
  AppRouteScaffold,
  AuditEventPage,
  AuditTrailPage,
  AvailabilityPage,
  FhirPage,
  GovernancePage,
  OrganizationsPage,
  ReportsPage,
  SchedulingCalendarPage,
  UsersPage,
} from '@telemed/web-ui';
import { Route } from 'react-router';
import { AdminHome, AdminSections, RequireRole } from './pages/AdminSections.js';

export const adminApp: AppIdentity = {
  role: 'administrator',
  alsoServes: ['auditor'],
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};

/** The admin app's screens: the administrator's and the auditor's sections, each at its own URL. */
export function AppRoutes() {
  return (
    <AppRouteScaffold app={adminApp}>
      <Route element={<AdminSections />}>
        <Route index element={<AdminHome />} />
        <Route element={<RequireRole roles={['administrator']} />}>
          <Route path="/calendar" element={<SchedulingCalendarPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="/organizations" element={<OrganizationsPage />} />
          <Route path="/availability" element={<AvailabilityPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="/governance" element={<GovernancePage />} />
          <Route path="/fhir" element={<FhirPage />} />
        </Route>
        <Route element={<RequireRole roles={['auditor']} />}>
          <Route path="/audit" element={<AuditTrailPage />} />
          <Route path="/audit/:id" element={<AuditEventPage />} />
        </Route>
      </Route>
    </AppRouteScaffold>
  );
}
