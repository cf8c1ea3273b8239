import { AppError } from '@telemed/shared';

/** What body-parser (through raw-body and http-errors) and Express's router attach to the errors they raise. */
interface HttpLayerError {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
  code?: unknown;
  limit?: unknown;
  encoding?: unknown;
  charset?: unknown;
  message?: unknown;
}

/**
 * body-parser's error `type`s that are the client's doing, as the AppError to answer. Two of its types are
 * left out on purpose: `stream.encoding.set` and `stream.not.readable` mean a parser was handed a stream
 * that our own code had already decoded or read, a fault of the server that must stay a logged 500.
 */
const bodyErrors: Record<string, (error: HttpLayerError) => AppError> = {
  'entity.too.large': (e) =>
    new AppError('PAYLOAD_TOO_LARGE', {
      en: `The request body is larger than ${String(e.limit)} bytes.`,
      ar: `البيانات المرسلة أكبر من الحد المسموح (${String(e.limit)} بايت).`,
    }),
  'entity.parse.failed': () =>
    new AppError('VALIDATION_FAILED', {
      en: 'The request body is not valid JSON.',
      ar: 'البيانات المرسلة ليست بصيغة JSON صحيحة.',
    }),
  'entity.verify.failed': () =>
    new AppError('VALIDATION_FAILED', {
      en: 'The request body was refused as sent.',
      ar: 'رُفضت البيانات المرسلة كما هي.',
    }),
  'encoding.unsupported': (e) =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', {
      en: `The content-encoding "${String(e.encoding)}" is not supported; send the body plain, or as gzip, deflate or br.`,
      ar: `ترميز المحتوى "${String(e.encoding)}" غير مدعوم؛ أرسل البيانات دون ضغط أو مضغوطة بـ gzip أو deflate أو br.`,
    }),
  'charset.unsupported': (e) =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', {
      en: `The charset "${String(e.charset)}" is not supported; send the body as UTF-8.`,
      ar: `مجموعة المحارف "${String(e.charset)}" غير مدعومة؛ أرسل البيانات بترميز UTF-8.`,
    }),
  'request.aborted': () =>
    new AppError('VALIDATION_FAILED', {
      en: 'The request body ended before the length it announced.',
      ar: 'انتهت البيانات المرسلة قبل الطول المعلن؛ أعد الإرسال.',
    }),
  'request.size.invalid': () =>
    new AppError('VALIDATION_FAILED', {
      en: 'The request body is not the length its content-length header gives.',
      ar: 'طول البيانات المرسلة لا يطابق قيمة الترويسة content-length.',
    }),
};

/**
 * The AppError for a request broken below the routes, the client's fault: a body that cannot be decoded or
 * read, or a path parameter that is not valid percent-encoding. `undefined` for anything else.
 */
export function malformedRequestError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as HttpLayerError;
  if (typeof e.type === 'string' && Object.hasOwn(bodyErrors, e.type)) return bodyErrors[e.type]?.(e);
  // Express's router: decodeURIComponent failed on a parameter, and it marked the URIError 400.
  if (error instanceof URIError && e.status === 400) {
    return new AppError('VALIDATION_FAILED', {
      en: 'The path is not valid percent-encoding (RFC 3986, UTF-8).',
      ar: 'المسار ليس بترميز النسبة المئوية الصحيح (RFC 3986، UTF-8).',
    });
  }
  // A body that says it is compressed but is not: body-parser passes zlib's error on, marked 400.
  if (typeof e.code === 'string' && /^(Z_|ERR_ZLIB|ERR_BROTLI|ERR_ZSTD)/.test(e.code)) {
    return new AppError('VALIDATION_FAILED', {
      en: 'The request body could not be decompressed with the content-encoding it names.',
      ar: 'تعذّر فك ضغط البيانات المرسلة بترميز المحتوى المذكور في الطلب.',
    });
  }
  // Any other error http-errors made for a client fault (`expose` is set only below 500).
  if (e.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.status === 413) return new AppError('PAYLOAD_TOO_LARGE');
    if (e.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
    return new AppError('VALIDATION_FAILED', {
      en: 'The request could not be read as sent.',
      ar: 'تعذّرت قراءة الطلب كما أُرسل.',
    });
  }
  return undefined;
}
