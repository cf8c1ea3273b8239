import { z } from 'zod';

/**
 * Every error the platform reports to a person or a client carries one of these codes,
 * with a message in Arabic and English and the HTTP status it maps to.
 */
export const errorCatalog = {
  VALIDATION_FAILED: {
    status: 400,
    ar: 'البيانات المرسلة غير صحيحة.',
    en: 'The data sent is not valid.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    ar: 'حجم البيانات المرسلة أكبر من المسموح.',
    en: 'The data sent is larger than allowed.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    ar: 'ترميز البيانات المرسلة أو مجموعة محارفها غير مدعومة، أرسلها بترميز UTF-8 دون ضغط أو مضغوطة بـ gzip.',
    en: 'The encoding or character set of the data sent is not supported; send it as UTF-8, plain or gzip-compressed.',
  },
  UNAUTHENTICATED: {
    status: 401,
    ar: 'يجب تسجيل الدخول أولاً.',
    en: 'You need to sign in first.',
  },
  TOKEN_EXPIRED: {
    status: 401,
    ar: 'انتهت صلاحية الجلسة، سجّل الدخول مرة أخرى.',
    en: 'Your session has expired; sign in again.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    ar: 'اسم المستخدم أو كلمة المرور غير صحيحة.',
    en: 'The username or password is not correct.',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    ar: 'تم إيقاف الحساب مؤقتاً بسبب محاولات دخول خاطئة متكررة.',
    en: 'The account is locked for a while after repeated failed sign-ins.',
  },
  ACCOUNT_INACTIVE: {
    status: 403,
    ar: 'هذا الحساب غير مفعّل، تواصل مع مسؤول النظام.',
    en: 'This account is not active; contact the administrator.',
  },
  FORBIDDEN: {
    status: 403,
    ar: 'ليست لديك صلاحية لهذا الإجراء.',
    en: 'You are not allowed to do this.',
  },
  NOT_FOUND: {
    status: 404,
    ar: 'العنصر المطلوب غير موجود.',
    en: 'The requested item does not exist.',
  },
  /** A FHIR resource type or operation this server does not serve (`/fhir/metadata` lists those it does). */
  FHIR_NOT_SUPPORTED: {
    status: 404,
    ar: 'نوع مورد FHIR أو العملية المطلوبة غير متاحة على هذا الخادم؛ راجع /fhir/metadata.',
    en: 'This FHIR resource type or operation is not served here; see /fhir/metadata.',
  },
  CONFLICT: {
    status: 409,
    ar: 'يتعارض هذا الطلب مع بيانات موجودة.',
    en: 'This request conflicts with existing data.',
  },
  STALE_WRITE: {
    status: 409,
    ar: 'عدّل شخص آخر هذا السجل في الأثناء، أعد تحميله ثم حاول مرة أخرى.',
    en: 'Someone else changed this record meanwhile; reload it and try again.',
  },
  UNPROCESSABLE: {
    status: 422,
    ar: 'لا يمكن تنفيذ الطلب في حالته الحالية.',
    en: 'The request cannot be carried out in the current state.',
  },
  RATE_LIMITED: {
    status: 429,
    ar: 'طلبات كثيرة خلال وقت قصير، انتظر قليلاً ثم حاول مرة أخرى.',
    en: 'Too many requests in a short time; wait a moment and try again.',
  },
  ROOM_NOT_FOUND: {
    status: 404,
    ar: 'غرفة الاستشارة غير موجودة.',
    en: 'The consultation room does not exist.',
  },
  /** A room event from a socket that has not joined that room (e.g. admit before the specialist joined). */
  ROOM_NOT_JOINED: {
    status: 409,
    ar: 'انضم إلى غرفة الاستشارة أولاً ثم أعد المحاولة.',
    en: 'Join the consultation room first, then try again.',
  },
  /** Admitting someone who is not in the waiting room (already admitted, gone, or never there). */
  PARTICIPANT_NOT_WAITING: {
    status: 409,
    ar: 'هذا المشارك ليس في غرفة الانتظار؛ حدّث قائمة الانتظار.',
    en: 'This participant is not in the waiting room; refresh the waiting list.',
  },
  /** A live clinical event (chat, vitals, attachment, snapshot) from a clinic doctor still in the waiting room. */
  PARTICIPANT_NOT_ADMITTED: {
    status: 409,
    ar: 'لم يُدخلك الأخصائي إلى الاستشارة بعد؛ انتظر حتى يسمح لك بالدخول.',
    en: 'The specialist has not admitted you to the consultation yet; wait until you are let in.',
  },
  /** A media id (transport, producer, consumer) that is not the caller's own in this room, or no longer exists. */
  MEDIA_NOT_FOUND: {
    status: 404,
    ar: 'وسيط الاتصال هذا (الناقل أو البث) غير موجود أو لا يخصك؛ أعد إعداد الصوت والصورة.',
    en: 'This media transport, producer or consumer does not exist or is not yours; set up audio and video again.',
  },
  /** A media step before the one it needs, e.g. produce before a send transport. */
  MEDIA_OUT_OF_ORDER: {
    status: 409,
    ar: 'خطوة إعداد الصوت والصورة جاءت قبل أوانها؛ أنشئ ناقل الإرسال أو الاستقبال أولاً.',
    en: 'This media step came too early; create the send or receive transport first.',
  },
  /** A service answered with a body its published contract does not allow: a bug, not the person's doing. */
  CONTRACT_MISMATCH: {
    status: 502,
    ar: 'ردّت الخدمة ببيانات لا تطابق الاتفاق المعلن، وتم تسجيل ذلك للمراجعة.',
    en: 'The service answered with data that does not match its published contract; this has been logged for review.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    ar: 'الخدمة غير متاحة حالياً، حاول بعد قليل.',
    en: 'The service is not available right now; try again shortly.',
  },
  INTERNAL: {
    status: 500,
    ar: 'حدث خطأ غير متوقع، تم تسجيله للمراجعة.',
    en: 'An unexpected error occurred; it has been logged for review.',
  },
} as const satisfies Record<string, { status: number; ar: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export const errorCodeSchema = z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]);

/** The body of every error response: `{ error: { code, message } }`, plus field details for validation. */
export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
