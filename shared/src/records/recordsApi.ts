import { z } from 'zod';
import { AppError } from '../errors/AppError.js';
import { objectIdSchema } from '../identifiers.js';
import {
  appointmentCreateSchema,
  appointmentListQuerySchema,
  appointmentSchema,
  appointmentStatusChangeSchema,
  callEventInputSchema,
  callInvitationInputSchema,
  specialistBusyQuerySchema,
  specialistBusySchema,
  urgentRequestSchema,
} from './appointments.js';
import {
  auditEventSchema,
  auditLookupQuerySchema,
  auditPatientSchema,
  auditPersonSchema,
  auditQuerySchema,
  signalingRefusalSchema,
} from './audit.js';
import {
  changePasswordRequestSchema,
  loginRequestSchema,
  sessionResponseSchema,
  sessionUserSchema,
} from './auth.js';
import { availabilityInputSchema, availabilitySchema } from './availability.js';
import { bulkExportSummarySchema } from './bulkExports.js';
import { listSchema, pageQuerySchema, pageSchema } from './common.js';
import {
  allowedAttachmentTypes,
  attachmentSchema,
  chatMessageInputSchema,
  chatMessageSchema,
  consultationAmendmentSchema,
  consultationSchema,
  consultationUpdateSchema,
  icd10EntrySchema,
  icd10SearchQuerySchema,
  noteListQuerySchema,
  noteSummarySchema,
  vitalSignInputSchema,
  vitalSignSchema,
} from './consultations.js';
import {
  fhirPushItemSchema,
  fhirPushPageSchema,
  fhirPushQuerySchema,
  fhirPushRetryParamsSchema,
} from './fhirPush.js';
import {
  organizationInputSchema,
  organizationListQuerySchema,
  organizationSchema,
  organizationUpdateSchema,
} from './organizations.js';
import {
  patientInputSchema,
  patientRecordSchema,
  patientSchema,
  patientSearchQuerySchema,
  patientSummarySchema,
  patientUpdateSchema,
} from './patients.js';
import {
  governorateTotalsQuerySchema,
  governorateTotalsSchema,
  reportQuerySchema,
  reportSchema,
} from './reports.js';
import { specialtySchema } from './specialties.js';
import { systemClientInputSchema, systemClientSchema } from './systemClients.js';
import {
  specialistListingSchema,
  userCreateSchema,
  userListQuerySchema,
  userSchema,
  userUpdateSchema,
} from './users.js';

/**
 * The records API as one table: every route with its method, its Express path (`:name` parameters), the
 * schemas of its parameters, query, body and answer. The typed client (`recordsClient.ts`) builds its calls
 * and checks every answer from it; records' contract test (`records/src/http/contract.test.ts`) holds the app
 * to it, route by route, so an answer that drifts from its schema fails there first.
 *
 * Errors are not listed per route: every failure answers `{error: {code, message, details?}}`
 * (`errorBodySchema`) with the catalog's status.
 */
export type RecordsMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a successful answer carries. */
export type RecordsResponse =
  | { kind: 'json'; status: 200 | 201; schema: z.ZodType }
  /** 204, no body. */
  | { kind: 'empty'; status: 204 }
  /** The stored bytes, with their content type (an attachment download). */
  | { kind: 'binary'; status: 200 }
  /** JSON, or the same data as text when the query asks for it (`format=csv`). */
  | { kind: 'json-or-text'; status: 200; schema: z.ZodType; textType: string };

export interface RecordsRoute {
  method: RecordsMethod;
  path: string;
  /** False for sign-in, refresh, sign-out and the public keys: no access token is sent. */
  authenticated: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON request body. */
  body?: z.ZodType;
  /** The request body is raw bytes of one of these content types (an attachment upload). */
  upload?: readonly string[];
  response: RecordsResponse;
}

const json = <S extends z.ZodType>(schema: S, status: 200 | 201 = 200) =>
  ({ kind: 'json', status, schema }) as const;
const created = <S extends z.ZodType>(schema: S) => json(schema, 201);

const byId = z.object({ id: objectIdSchema });

/** The public keys that verify access tokens (RFC 7517); each key is passed on as the JWK it is. */
export const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })),
});

export const recordsRoutes = {
  // Sign-in, refresh and sign-out: no access token; the refresh token travels in its httpOnly cookie.
  login: {
    method: 'POST',
    path: '/api/auth/login',
    authenticated: false,
    body: loginRequestSchema,
    response: json(sessionResponseSchema),
  },
  refreshSession: {
    method: 'POST',
    path: '/api/auth/refresh',
    authenticated: false,
    response: json(sessionResponseSchema),
  },
  logout: {
    method: 'POST',
    path: '/api/auth/logout',
    authenticated: false,
    response: { kind: 'empty', status: 204 },
  },
  getJwks: {
    method: 'GET',
    path: '/.well-known/jwks.json',
    authenticated: false,
    response: json(jwksSchema),
  },

  getMe: { method: 'GET', path: '/api/auth/me', authenticated: true, response: json(sessionUserSchema) },
  changePassword: {
    method: 'POST',
    path: '/api/auth/password',
    authenticated: true,
    body: changePasswordRequestSchema,
    response: json(sessionResponseSchema),
  },

  listOrganizations: {
    method: 'GET',
    path: '/api/organizations',
    authenticated: true,
    query: organizationListQuerySchema,
    response: json(pageSchema(organizationSchema)),
  },
  getOrganization: {
    method: 'GET',
    path: '/api/organizations/:id',
    authenticated: true,
    params: byId,
    response: json(organizationSchema),
  },
  createOrganization: {
    method: 'POST',
    path: '/api/organizations',
    authenticated: true,
    body: organizationInputSchema,
    response: created(organizationSchema),
  },
  updateOrganization: {
    method: 'PATCH',
    path: '/api/organizations/:id',
    authenticated: true,
    params: byId,
    body: organizationUpdateSchema,
    response: json(organizationSchema),
  },

  listUsers: {
    method: 'GET',
    path: '/api/users',
    authenticated: true,
    query: userListQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(userSchema)),
  },
  createUser: {
    method: 'POST',
    path: '/api/users',
    authenticated: true,
    body: userCreateSchema,
    response: created(userSchema),
  },
  updateUser: {
    method: 'PATCH',
    path: '/api/users/:id',
    authenticated: true,
    params: byId,
    body: userUpdateSchema,
    response: json(userSchema),
  },

  listSpecialists: {
    method: 'GET',
    path: '/api/specialists',
    authenticated: true,
    query: z.object({ specialty: specialtySchema.optional() }),
    response: json(listSchema(specialistListingSchema)),
  },
  getAvailability: {
    method: 'GET',
    path: '/api/specialists/:id/availability',
    authenticated: true,
    params: byId,
    response: json(availabilitySchema),
  },
  getSpecialistBusy: {
    method: 'GET',
    path: '/api/specialists/:id/busy',
    authenticated: true,
    params: byId,
    query: specialistBusyQuerySchema,
    response: json(specialistBusySchema),
  },
  setAvailability: {
    method: 'PUT',
    path: '/api/specialists/:id/availability',
    authenticated: true,
    params: byId,
    body: availabilityInputSchema,
    response: json(availabilitySchema),
  },

  searchPatients: {
    method: 'GET',
    path: '/api/patients',
    authenticated: true,
    query: patientSearchQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(patientSummarySchema)),
  },
  registerPatient: {
    method: 'POST',
    path: '/api/patients',
    authenticated: true,
    body: patientInputSchema,
    response: created(patientSchema),
  },
  getPatient: {
    method: 'GET',
    path: '/api/patients/:id',
    authenticated: true,
    params: byId,
    response: json(patientRecordSchema),
  },
  updatePatient: {
    method: 'PATCH',
    path: '/api/patients/:id',
    authenticated: true,
    params: byId,
    body: patientUpdateSchema,
    response: json(patientSchema),
  },

  bookAppointment: {
    method: 'POST',
    path: '/api/appointments',
    authenticated: true,
    body: appointmentCreateSchema,
    response: created(appointmentSchema),
  },
  listAppointments: {
    method: 'GET',
    path: '/api/appointments',
    authenticated: true,
    query: appointmentListQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(appointmentSchema)),
  },
  getAppointment: {
    method: 'GET',
    path: '/api/appointments/:id',
    authenticated: true,
    params: byId,
    response: json(appointmentSchema),
  },
  changeAppointmentStatus: {
    method: 'POST',
    path: '/api/appointments/:id/status',
    authenticated: true,
    params: byId,
    body: appointmentStatusChangeSchema,
    response: json(appointmentSchema),
  },
  inviteToCall: {
    method: 'POST',
    path: '/api/appointments/:id/invitations',
    authenticated: true,
    params: byId,
    body: callInvitationInputSchema,
    response: created(appointmentSchema),
  },
  withdrawCallInvitation: {
    method: 'DELETE',
    path: '/api/appointments/:id/invitations/:specialistId',
    authenticated: true,
    params: z.object({ id: objectIdSchema, specialistId: objectIdSchema }),
    response: json(appointmentSchema),
  },
  /**
   * A step of the call, audited, that moves the appointment as it implies (a clinic's join of a scheduled one
   * → waiting, an admission → in-progress, the end → completed); answers the appointment with the caller's
   * `callRole`. Signaling calls it with the acting user's token; `x-telemed-via: signaling` labels the audit.
   */
  recordCallEvent: {
    method: 'POST',
    path: '/api/appointments/:id/call-events',
    authenticated: true,
    params: byId,
    body: callEventInputSchema,
    response: json(appointmentSchema),
  },
  requestUrgent: {
    method: 'POST',
    path: '/api/urgent-requests',
    authenticated: true,
    body: urgentRequestSchema,
    response: created(appointmentSchema),
  },
  listUrgentRequests: {
    method: 'GET',
    path: '/api/urgent-requests',
    authenticated: true,
    response: json(listSchema(appointmentSchema)),
  },
  pickUrgentRequest: {
    method: 'POST',
    path: '/api/urgent-requests/:id/pick',
    authenticated: true,
    params: byId,
    response: json(appointmentSchema),
  },

  /** The caller's own consultation notes (specialists), newest first, paged; `status: amended` for the amended. */
  listMyNotes: {
    method: 'GET',
    path: '/api/consultations',
    authenticated: true,
    query: noteListQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(noteSummarySchema)),
  },
  openConsultation: {
    method: 'GET',
    path: '/api/appointments/:appointmentId/consultation',
    authenticated: true,
    params: z.object({ appointmentId: objectIdSchema }),
    response: json(consultationSchema),
  },
  listPatientConsultations: {
    method: 'GET',
    path: '/api/patients/:patientId/consultations',
    authenticated: true,
    params: z.object({ patientId: objectIdSchema }),
    response: json(listSchema(consultationSchema)),
  },
  getConsultation: {
    method: 'GET',
    path: '/api/consultations/:id',
    authenticated: true,
    params: byId,
    response: json(consultationSchema),
  },
  editConsultation: {
    method: 'PATCH',
    path: '/api/consultations/:id',
    authenticated: true,
    params: byId,
    body: consultationUpdateSchema,
    response: json(consultationSchema),
  },
  recordVitalSign: {
    method: 'POST',
    path: '/api/consultations/:id/vital-signs',
    authenticated: true,
    params: byId,
    body: vitalSignInputSchema,
    response: created(vitalSignSchema),
  },
  postChatMessage: {
    method: 'POST',
    path: '/api/consultations/:id/chat',
    authenticated: true,
    params: byId,
    body: chatMessageInputSchema,
    response: created(chatMessageSchema),
  },
  uploadAttachment: {
    method: 'POST',
    path: '/api/consultations/:id/attachments',
    authenticated: true,
    params: byId,
    upload: allowedAttachmentTypes,
    response: created(attachmentSchema),
  },
  downloadAttachment: {
    method: 'GET',
    path: '/api/consultations/:id/attachments/:attachmentId',
    authenticated: true,
    params: z.object({ id: objectIdSchema, attachmentId: objectIdSchema }),
    response: { kind: 'binary', status: 200 },
  },
  signConsultation: {
    method: 'POST',
    path: '/api/consultations/:id/sign',
    authenticated: true,
    params: byId,
    body: consultationUpdateSchema.pick({ version: true }),
    response: json(consultationSchema),
  },
  amendConsultation: {
    method: 'POST',
    path: '/api/consultations/:id/amendments',
    authenticated: true,
    params: byId,
    body: consultationAmendmentSchema,
    response: json(consultationSchema),
  },

  searchIcd10: {
    method: 'GET',
    path: '/api/icd10',
    authenticated: true,
    query: icd10SearchQuerySchema,
    response: json(listSchema(icd10EntrySchema)),
  },
  /** System clients (SMART Backend Services, for Bulk Data export): administrators register and deactivate them. */
  listSystemClients: {
    method: 'GET',
    path: '/api/system-clients',
    authenticated: true,
    response: json(listSchema(systemClientSchema)),
  },
  createSystemClient: {
    method: 'POST',
    path: '/api/system-clients',
    authenticated: true,
    body: systemClientInputSchema,
    response: created(systemClientSchema),
  },
  deactivateSystemClient: {
    method: 'POST',
    path: '/api/system-clients/:id/deactivate',
    authenticated: true,
    params: byId,
    response: json(systemClientSchema),
  },
  listAuditEvents: {
    method: 'GET',
    path: '/api/audit-events',
    authenticated: true,
    query: auditQuerySchema.extend(pageQuerySchema.shape),
    // No total and no hasMore: counting a million events on every page costs more than it tells.
    response: json(
      z.object({ items: z.array(auditEventSchema), page: z.number().int(), limit: z.number().int() }),
    ),
  },
  /**
   * One audit event by id, for auditors and administrators (a bookmarked or shared event's page); reading it is
   * audited like a page of the trail.
   */
  getAuditEvent: {
    method: 'GET',
    path: '/api/audit-events/:id',
    authenticated: true,
    params: byId,
    response: json(auditEventSchema),
  },
  /**
   * The filtered trail as CSV (newest first, at most `auditExportLimit` events), for auditors and
   * administrators; the export is itself audited (`export` of `audit-log`, with the filter).
   */
  exportAuditEvents: {
    method: 'GET',
    path: '/api/audit-events.csv',
    authenticated: true,
    query: auditQuerySchema,
    response: { kind: 'binary', status: 200 },
  },
  /**
   * The people an auditor (or administrator) may filter the trail by: accounts by name or username, paged,
   * with role and organization. Not the account list: no contact details, no sign-in state.
   */
  findAuditPeople: {
    method: 'GET',
    path: '/api/audit/people',
    authenticated: true,
    query: auditLookupQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(auditPersonSchema)),
  },
  /**
   * The patients an auditor may filter the trail by: by name words, MRN or national ID, paged; identity and
   * clinic only. Every patient it answers is audited as read (reason `audit lookup`).
   */
  findAuditPatients: {
    method: 'GET',
    path: '/api/audit/patients',
    authenticated: true,
    query: auditLookupQuerySchema.extend(pageQuerySchema.shape),
    response: json(pageSchema(auditPatientSchema)),
  },
  /**
   * Signaling reports a refusal it made itself, with the refused user's token; records writes it to the audit
   * trail as that user's denied event (`via: signaling` from the header), a few per user and minute, the rest
   * summed up in one event, so that a flood of refused events cannot fill the trail.
   */
  reportSignalingRefusal: {
    method: 'POST',
    path: '/api/signaling-refusals',
    authenticated: true,
    body: signalingRefusalSchema,
    response: { kind: 'empty', status: 204 },
  },
  consultationReport: {
    method: 'GET',
    path: '/api/reports/consultations',
    authenticated: true,
    query: reportQuerySchema,
    response: { kind: 'json-or-text', status: 200, schema: reportSchema, textType: 'text/csv' },
  },
  /** Administrators: one day's appointments per governorate by status (the governance dashboard's totals). */
  governorateTotals: {
    method: 'GET',
    path: '/api/reports/governorates',
    authenticated: true,
    query: governorateTotalsQuerySchema,
    response: json(governorateTotalsSchema),
  },
  /**
   * Administrators: the push to the hospital's FHIR server, item by item (newest consultations first), by
   * state; no clinical content. Reading it is audited.
   */
  listFhirPushItems: {
    method: 'GET',
    path: '/api/fhir-push',
    authenticated: true,
    query: fhirPushQuerySchema.extend(pageQuerySchema.shape),
    response: json(fhirPushPageSchema),
  },
  /** Administrators: a failed item is tried again now (audited); refused once a later version was sent. */
  retryFhirPushItem: {
    method: 'POST',
    path: '/api/fhir-push/:consultationId/:version/retry',
    authenticated: true,
    params: fhirPushRetryParamsSchema,
    response: json(fhirPushItemSchema),
  },
  /**
   * Administrators: Bulk Data exports, running and recent (newest first), with their progress; who runs each
   * and what it asks for, never its files. Reading it is audited.
   */
  listBulkExports: {
    method: 'GET',
    path: '/api/bulk-exports',
    authenticated: true,
    query: pageQuerySchema,
    response: json(pageSchema(bulkExportSummarySchema)),
  },
} as const satisfies Record<string, RecordsRoute>;

export type RecordsRouteName = keyof typeof recordsRoutes;
type RouteOf<N extends RecordsRouteName> = (typeof recordsRoutes)[N];

/** What a binary answer gives: the bytes and how the server described them. */
export interface RecordsDownload {
  contentType: string;
  /** From `content-disposition`, when the server named the file. */
  fileName: string | undefined;
  bytes: Uint8Array;
}

/** The bytes of an upload, with their content type and, optionally, the file's name. */
export interface RecordsUpload {
  contentType: string;
  bytes: Uint8Array | ArrayBuffer | Blob;
  fileName?: string;
}

type ParamsPart<R> = R extends { params: z.ZodType } ? { params: z.input<R['params']> } : { params?: never };
type QueryPart<R> = R extends { query: z.ZodType } ? { query?: z.input<R['query']> } : { query?: never };
type BodyPart<R> = R extends { body: z.ZodType }
  ? { body: z.input<R['body']> }
  : R extends { upload: readonly string[] }
    ? { upload: RecordsUpload }
    : { body?: never };

/** What a call of route N takes: its path parameters, query and body, each typed from the table. */
export type RecordsRequest<N extends RecordsRouteName> = ParamsPart<RouteOf<N>> &
  QueryPart<RouteOf<N>> &
  BodyPart<RouteOf<N>>;

type ResponseOf<R extends RecordsResponse> = R extends { kind: 'json'; schema: infer S extends z.ZodType }
  ? z.infer<S>
  : R extends { kind: 'json-or-text'; schema: infer S extends z.ZodType }
    ? z.infer<S> | string
    : R extends { kind: 'binary' }
      ? RecordsDownload
      : undefined;

/** What a successful call of route N answers, after the table's schema has checked it. */
export type RecordsAnswer<N extends RecordsRouteName> = ResponseOf<RouteOf<N>['response']>;

/** The concrete path of a route: `:name` replaced by its (encoded) parameter. */
export function recordsPath(route: RecordsRoute, params: Record<string, unknown> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new AppError(
        'VALIDATION_FAILED',
        `${route.method} ${route.path} needs the parameter "${name}".`,
        [{ path: `params.${name}`, message: 'required' }],
      );
    }
    return encodeURIComponent(String(value));
  });
}
