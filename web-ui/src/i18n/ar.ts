/**
 * Every string the apps show, in Arabic (the source language), as ICU messages: counts use Arabic's six plural
 * categories (zero, one, two, few, many, other) and `#` is written in the locale's digits (Arabic-Indic).
 */
export const ar = {
  'platform.name': 'منصة الاستشارات الطبية عن بعد',
  'app.clinic.title': 'الوحدة الصحية',
  'app.clinic.subtitle': 'اطلب رأي استشاري لمريضك دون أن يسافر',
  'app.specialist.title': 'بوابة الاستشاري',
  'app.specialist.subtitle': 'استشارات الوحدات الصحية في المحافظات',
  'login.heading': 'تسجيل الدخول',
  'login.username': 'اسم المستخدم',
  'login.password': 'كلمة المرور',
  'login.submit': 'دخول',
  'login.usernameInvalid':
    'أدخل اسم المستخدم: من {min, number} إلى {max, number} حرفًا لاتينيًا أو رقمًا أو «.» أو «_» أو «-».',
  'login.passwordRequired': 'أدخل كلمة المرور.',
  'login.networkError': 'تعذّر الاتصال بالخادم، تحقق من الشبكة ثم حاول مرة أخرى.',
  'language.switchTo': 'English',
  'language.switchLabel': 'تغيير اللغة إلى الإنجليزية',
  'session.restoring': 'جارٍ التحقق من الجلسة…',
  'session.signOut': 'تسجيل الخروج',
  'session.signedInAs': 'المستخدم الحالي: {name}، {role}',
  'session.wrongApp': 'هذا التطبيق ليس لدورك في النظام. استخدم التطبيق المخصص لك.',
  'password.heading': 'تغيير كلمة المرور',
  'password.explain':
    'اختر كلمة مرور جديدة قبل المتابعة ({minimum, plural, zero {بلا حد أدنى} one {حرف واحد على الأقل} two {حرفان على الأقل} few {# أحرف على الأقل} many {# حرفًا على الأقل} other {# حرف على الأقل}}).',
  'password.current': 'كلمة المرور الحالية',
  'password.new': 'كلمة المرور الجديدة',
  'password.confirm': 'تأكيد كلمة المرور الجديدة',
  'password.mismatch': 'كلمتا المرور الجديدتان غير متطابقتين.',
  'password.tooShort':
    'كلمة المرور الجديدة يجب ألا تقل عن {minimum, plural, zero {# حرف} one {حرف واحد} two {حرفين} few {# أحرف} many {# حرفًا} other {# حرف}}.',
  'password.tooLong':
    'كلمة المرور يجب ألا تزيد على {maximum, plural, zero {# حرف} one {حرف واحد} two {حرفين} few {# أحرف} many {# حرفًا} other {# حرف}}.',
  'password.currentRequired': 'أدخل كلمة المرور الحالية.',
  'password.submit': 'حفظ كلمة المرور',
  'appointments.heading': 'المواعيد القادمة',
  'appointments.count':
    '{count, plural, zero {لا مواعيد} one {موعد واحد} two {موعدان} few {# مواعيد} many {# موعدًا} other {# موعد}}',
  'appointments.empty': 'لا توجد مواعيد قادمة.',
  'appointments.time': 'الموعد',
  'appointments.patient': 'المريض',
  'appointments.specialty': 'التخصص',
  'appointments.status': 'الحالة',
  'appointments.reason': 'سبب الاستشارة',
  'appointments.timeZone': 'الأوقات بتوقيت القاهرة',
  'status.scheduled': 'محدد',
  'status.waiting': 'في الانتظار',
  'status.in-progress': 'جارية',
  'status.completed': 'مكتملة',
  'status.cancelled': 'ملغاة',
  'status.no-show': 'لم يحضر',
  'urgent.heading': 'طلبات عاجلة في تخصصك',
  'urgent.count':
    '{count, plural, zero {لا طلبات} one {طلب واحد} two {طلبان} few {# طلبات} many {# طلبًا} other {# طلب}}',
  'urgent.empty': 'لا توجد طلبات عاجلة الآن.',
  'urgent.take': 'استلام الحالة',
  'urgent.takeFor': 'استلام الحالة: {name}',
  'urgent.waiting':
    'ينتظر منذ {minutes, plural, zero {أقل من دقيقة} one {دقيقة واحدة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}}',
  'patients.heading': 'بحث عن مريض',
  'patients.placeholder': 'الاسم أو رقم الملف أو الرقم القومي',
  'patients.search': 'بحث',
  'patients.tooShort': 'اكتب حرفين على الأقل للبحث.',
  'patients.none': 'لا يوجد مرضى مطابقون.',
  'patients.found':
    '{count, plural, zero {لا نتائج} one {مريض واحد} two {مريضان} few {# مرضى} many {# مريضًا} other {# مريض}}',
  'patients.mrn': 'رقم الملف',
  'patients.birthDate': 'تاريخ الميلاد',
  'common.loading': 'جارٍ التحميل…',
  'common.retry': 'إعادة المحاولة',
  'notFound.heading': 'الصفحة غير موجودة',
  'notFound.home': 'العودة إلى الصفحة الرئيسية',
} as const;

export type MessageKey = keyof typeof ar;
