import {
  AppointmentList,
  LocaleProvider,
  PatientSearch,
  SessionProvider,
  SignedInApp,
} from '@telemed/web-ui';

export function App() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <SignedInApp forRole="clinic_doctor" titleKey="app.clinic.title" subtitleKey="app.clinic.subtitle">
          <AppointmentList />
          <PatientSearch />
        </SignedInApp>
      </SessionProvider>
    </LocaleProvider>
  );
}
