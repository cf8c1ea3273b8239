import type { Locale } from '@telemed/shared';

/** Every string the apps show. Arabic is the source language; English must have the same keys. */
export const messages = {
  ar: {
    'platform.name': 'منصة الاستشارات الطبية عن بعد',
    'app.clinic.title': 'الوحدة الصحية',
    'app.clinic.subtitle': 'اطلب رأي استشاري لمريضك دون أن يسافر',
    'app.specialist.title': 'بوابة الاستشاري',
    'app.specialist.subtitle': 'استشارات الوحدات الصحية في المحافظات',
    'login.heading': 'تسجيل الدخول',
    'login.username': 'اسم المستخدم',
    'login.password': 'كلمة المرور',
    'login.submit': 'دخول',
    'login.submitting': 'جارٍ الدخول…',
    'login.missingFields': 'أدخل اسم المستخدم وكلمة المرور.',
    'login.networkError': 'تعذّر الاتصال بالخادم، تحقق من الشبكة ثم حاول مرة أخرى.',
    'language.switchTo': 'English',
    'language.switchLabel': 'تغيير اللغة إلى الإنجليزية',
  },
  en: {
    'platform.name': 'Remote Medical Consultation Platform',
    'app.clinic.title': 'Health Unit',
    'app.clinic.subtitle': "Get a specialist's opinion for your patient without travel",
    'app.specialist.title': 'Specialist Portal',
    'app.specialist.subtitle': 'Consultations from health units across the governorates',
    'login.heading': 'Sign in',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.missingFields': 'Enter your username and password.',
    'login.networkError': 'Could not reach the server; check the network and try again.',
    'language.switchTo': 'العربية',
    'language.switchLabel': 'Switch the language to Arabic',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof messages)['ar'];
