import {
  type AppIdentity,
  ChangePasswordPage,
  changePasswordPath,
  LoginPage,
  NotFoundPage,
  RequireSession,
} from '@telemed/web-ui';
import { Route, Routes } from 'react-router';
import { ConsultationNotePage } from './pages/ConsultationNotePage.js';
import { HomePage } from './pages/HomePage.js';

export const specialistApp: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

/** The specialist app's screens, each at its own URL. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage app={specialistApp} />} />
      <Route element={<RequireSession app={specialistApp} />}>
        <Route index element={<HomePage />} />
        <Route path={changePasswordPath} element={<ChangePasswordPage />} />
        <Route path="/consultations/:appointmentId/note" element={<ConsultationNotePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
