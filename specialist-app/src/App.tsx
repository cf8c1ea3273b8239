import { AppointmentList, LocaleProvider, SessionProvider, SignedInApp, UrgentQueue } from '@telemed/web-ui';
import { useState } from 'react';

function SpecialistHome() {
  // Taking an urgent case adds it to the appointments list: remount the list to show it.
  const [taken, setTaken] = useState(0);
  return (
    <>
      <UrgentQueue onTaken={() => setTaken((n) => n + 1)} />
      <AppointmentList key={taken} />
    </>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <SignedInApp
          forRole="specialist"
          titleKey="app.specialist.title"
          subtitleKey="app.specialist.subtitle"
        >
          <SpecialistHome />
        </SignedInApp>
      </SessionProvider>
    </LocaleProvider>
  );
}
