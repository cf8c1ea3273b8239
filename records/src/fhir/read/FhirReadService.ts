import type { Resource } from '@medplum/fhirtypes';
import { AppError, type AuthenticatedUser } from '@telemed/shared';
import { Types } from 'mongoose';
import {
  type AccessPolicy,
  type ConsultationReadGrant,
  consultationHistoryAudit,
} from '../../access/AccessPolicy.js';
import { assertRole } from '../../access/assertRole.js';
import type { AuditEntry, AuditLog } from '../../audit/AuditLog.js';
import { auditTrailRoles } from '../../audit/AuditTrailService.js';
import type { AppointmentDoc } from '../../models/Appointment.js';
import type { OrganizationDoc } from '../../models/Organization.js';
import type { PatientDoc } from '../../models/Patient.js';
import type { Models } from '../../models/registerModels.js';
import type { UserDoc } from '../../models/User.js';
import { scopeCovers } from '../../systemClients/ClientCredentialsGrant.js';
import type { FhirCaller } from '../http/FhirCaller.js';
import {
  type ConsultationGraphLoader,
  type Stored,
  toAppointment,
  toOrganization,
  toPatient,
  toUser,
} from '../load/ConsultationGraphLoader.js';
import { mapAuditEvent } from '../mapping/auditEventMapping.js';
import { consultationResources } from '../mapping/consultationResources.js';
import { mapAppointment } from '../mapping/encounterMapping.js';
import type { FhirMappingContext } from '../mapping/fhirSystems.js';
import type { ConsultationGraph } from '../mapping/mappingInputs.js';
import { mapOrganization } from '../mapping/organizationMapping.js';
import { mapPatient } from '../mapping/patientMapping.js';
import { mapPractitioner, mapPractitionerRole } from '../mapping/practitionerMapping.js';
import { compartmentMatcher } from './compartmentMatcher.js';
import { type ReadableType, readableType } from './fhirReadTypes.js';
import { locateResource } from './fhirResourceIds.js';
import { parseSearchQuery, type SearchCriteria } from './fhirSearchParams.js';
import { patientSearchMongoFilter } from './patientSearchMongoFilter.js';

/** One page of a search or of `$everything`: the searchset Bundle is made of it by the route. */
export interface SearchPage {
  resources: Resource[];
  /** Left out when counting would cost a scan (a search with no criteria over every patient). */
  total?: number | undefined;
  offset: number;
  count: number;
  criteria: SearchCriteria;
}

/** More consultations than this for one patient is not a search this API runs in one request. */
const maxConsultationsPerPatient = 2000;
/** Consultation graphs read together when going through a patient's record. */
const graphBatchSize = 200;

type ConsultationListRow = {
  _id: Types.ObjectId;
  specialistId?: Types.ObjectId | null;
  appointmentId: Types.ObjectId;
};

interface ConsultationRef {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  appointmentId: Types.ObjectId;
  status: string;
}
const consultationRefFields = { clinicId: 1, patientId: 1, specialistId: 1, appointmentId: 1, status: 1 };

/**
 * The rules of the FHIR read API: which records a caller may see (the records API's `AccessPolicy` for a
 * person, the token's `system/<Type>.read` scopes for a system client), the Mongo queries of each search, the
 * paging, and the audit of every read (one event per request, naming the patients answered). Resources come from
 * the mappers, over the same graph the push sends, so a read and a push never disagree.
 */
export class FhirReadService {
  readonly #models: Models;
  readonly #access: AccessPolicy;
  readonly #audit: AuditLog;
  readonly #loader: ConsultationGraphLoader;
  readonly #mapping: FhirMappingContext;

  constructor(deps: {
    models: Models;
    access: AccessPolicy;
    audit: AuditLog;
    loader: ConsultationGraphLoader;
    mapping: FhirMappingContext;
  }) {
    this.#models = deps.models;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#loader = deps.loader;
    this.#mapping = deps.mapping;
  }

  /** `GET /fhir/{type}/{id}`. */
  async read(caller: FhirCaller, type: string, id: string, request: string): Promise<Resource> {
    const readable = this.#typeOf(type);
    this.#assertTypeAllowed(caller, readable.type);
    const locator = locateResource(readable.type, id);
    let resource: Resource | undefined;
    let patientId: string | undefined;
    let grant: ConsultationReadGrant = 'party';
    if (locator.kind === 'record') {
      ({ resource, patientId } = await this.#readRecord(caller, readable.type, locator.id));
    } else {
      const consultation = await this.#models.Consultation.findOne(
        locator.kind === 'consultation'
          ? { _id: new Types.ObjectId(locator.consultationId) }
          : { [locator.field]: locator.entryId },
        consultationRefFields,
      ).lean<ConsultationRef>();
      if (consultation) {
        grant = await this.#assertConsultation(caller, readable.type, consultation);
        const resources = await this.#consultationResources(consultation._id.toHexString());
        resource = resources.find((r) => r.resourceType === readable.type && r.id === id);
        patientId = consultation.patientId.toHexString();
      }
    }
    if (!resource) throw notFound(readable.type, id);
    await this.#auditRead(caller, request, [resource], {
      patients: patientId ? new Map([[resource, patientId]]) : undefined,
      history: grant === 'history' ? new Set([resource]) : undefined,
    });
    return resource;
  }

  /** `GET /fhir/{type}?…`: a page of the matches, in a stable order (so paging gives each match once). */
  async search(
    caller: FhirCaller,
    type: string,
    query: Record<string, unknown>,
    lenient: boolean,
    request: string,
  ): Promise<SearchPage> {
    const readable = this.#typeOf(type);
    this.#assertTypeAllowed(caller, readable.type);
    if (readable.search.length === 0) {
      throw new AppError('VALIDATION_FAILED', {
        en: `${readable.type} has no search on this server; read it by id (see /fhir/metadata).`,
        ar: `لا يدعم هذا الخادم البحث في ${readable.type}؛ اقرأه بالمعرّف (انظر /fhir/metadata).`,
      });
    }
    const criteria = parseSearchQuery(query, readable.search, lenient);
    if (readable.type === 'Patient') return this.#searchPatients(caller, criteria, request);
    const patientValues = criteria.values.get('patient');
    if (patientValues?.length !== 1) {
      throw new AppError('VALIDATION_FAILED', {
        en: `A ${readable.type} search needs one patient parameter (patient=Patient/<id>): it searches one patient’s record.`,
        ar: `البحث في ${readable.type} يتطلب معامل patient واحداً (patient=Patient/<id>): يجري البحث في سجل مريض واحد.`,
      });
    }
    const matches = compartmentMatcher(readable.type, criteria.values);
    const { resources, patientId, history } = await this.#patientCompartment(
      caller,
      matches.patientId,
      readable.type,
    );
    const found = resources.filter((r) => r.resourceType === readable.type && matches.test(r));
    return this.#page(caller, request, found, criteria, patientId, history);
  }

  /** `GET /fhir/Patient/{id}/$everything` and `GET /fhir/Encounter/{id}/$everything`. */
  async everything(
    caller: FhirCaller,
    type: string,
    id: string,
    query: Record<string, unknown>,
    request: string,
  ): Promise<SearchPage> {
    const readable = this.#typeOf(type);
    if (!readable.everything) throw notSupported(`${readable.type}/$everything`);
    const criteria = parseSearchQuery(query, [], false);
    locateResource(readable.type, id);
    if (readable.type === 'Encounter') {
      const consultation = await this.#models.Consultation.findById(
        id,
        consultationRefFields,
      ).lean<ConsultationRef>();
      if (!consultation) throw notFound('Encounter', id);
      const grant = await this.#assertConsultation(caller, 'Encounter', consultation);
      const resources = (await this.#consultationResources(id)).filter((r) =>
        this.#covers(caller, r.resourceType),
      );
      const history = grant === 'history' ? new Set(resources) : undefined;
      return this.#page(caller, request, resources, criteria, consultation.patientId.toHexString(), history);
    }
    const { resources, patientId, history } = await this.#patientCompartment(caller, id, undefined);
    return this.#page(caller, request, resources, criteria, patientId, history);
  }

  #typeOf(type: string): ReadableType {
    const readable = readableType(type);
    if (!readable) throw notSupported(type);
    return readable;
  }

  /** A system client's token covers `type` (`system/*.read` or `system/<type>.read`); a person's is not scoped. */
  #covers(caller: FhirCaller, type: string): boolean {
    return (
      caller.kind === 'user' ||
      caller.client.scopes.some((scope) => scopeCovers(scope, `system/${type}.read`))
    );
  }

  #assertTypeAllowed(caller: FhirCaller, type: string): void {
    if (caller.kind === 'system') {
      if (this.#covers(caller, type)) return;
      throw new AppError('FORBIDDEN', {
        en: `The token's scopes (${caller.client.scopes.join(' ')}) do not cover ${type}.`,
        ar: `نطاقات الرمز (${caller.client.scopes.join(' ')}) لا تشمل ${type}.`,
      });
    }
    // Who may see which kind of record at all; the record's own rule (its clinic, the booking) comes after.
    const user = caller.user;
    if (type === 'AuditEvent') assertRole(user, auditTrailRoles.trail);
    else if (type === 'Practitioner' || type === 'PractitionerRole' || type === 'Organization')
      assertRole(user, ['clinic_doctor', 'specialist', 'administrator']);
    else if (type === 'Patient' || type === 'Appointment')
      assertRole(user, ['clinic_doctor', 'specialist', 'administrator']);
    else assertRole(user, ['clinic_doctor', 'specialist']);
  }

  /** May the caller read this consultation's resources, and why: as a party, or as the patient's history. */
  async #assertConsultation(
    caller: FhirCaller,
    type: string,
    consultation: ConsultationRef,
  ): Promise<ConsultationReadGrant> {
    this.#assertTypeAllowed(caller, type);
    return caller.kind === 'user' ? this.#access.readConsultation(caller.user, consultation) : 'party';
  }

  async #readRecord(
    caller: FhirCaller,
    type: string,
    id: string,
  ): Promise<{ resource?: Resource | undefined; patientId?: string | undefined }> {
    this.#assertTypeAllowed(caller, type);
    const user: AuthenticatedUser | undefined = caller.kind === 'user' ? caller.user : undefined;
    switch (type) {
      case 'Patient': {
        const doc = await this.#models.Patient.findById(id).lean<Stored<PatientDoc>>();
        if (!doc) return {};
        if (user) await this.#access.assertPatientDemographics(user, doc);
        return { resource: mapPatient(toPatient(doc)), patientId: id };
      }
      case 'Practitioner':
      case 'PractitionerRole': {
        const doc = await this.#models.User.findById(id).lean<Stored<UserDoc>>();
        if (!doc) return {};
        // Roles exist for those the mappers give one: the clinic doctor and the specialist.
        if (type === 'PractitionerRole' && doc.role !== 'clinic_doctor' && doc.role !== 'specialist')
          return {};
        const record = toUser(doc);
        return { resource: type === 'Practitioner' ? mapPractitioner(record) : mapPractitionerRole(record) };
      }
      case 'Organization': {
        const doc = await this.#models.Organization.findById(id).lean<Stored<OrganizationDoc>>();
        return doc ? { resource: mapOrganization(toOrganization(doc)) } : {};
      }
      case 'Appointment': {
        const doc = await this.#models.Appointment.findById(id).lean<Stored<AppointmentDoc>>();
        if (!doc) return {};
        if (user) this.#access.assertAppointment(user, doc);
        return { resource: mapAppointment(toAppointment(doc)), patientId: doc.patientId.toHexString() };
      }
      case 'AuditEvent': {
        const doc = await this.#models.AuditEvent.findById(id).lean();
        if (!doc) return {};
        return {
          resource: mapAuditEvent({
            id: doc._id.toHexString(),
            at: doc.at,
            actorId: doc.actorId?.toHexString(),
            actorRole: doc.actorRole ?? undefined,
            action: doc.action,
            resourceType: doc.resourceType,
            resourceIds: doc.resourceIds,
            patientIds: doc.patientIds.map((p) => p.toHexString()),
            outcome: doc.outcome as 'success' | 'denied' | 'failed',
            reason: doc.reason ?? undefined,
            ip: doc.ip ?? undefined,
            via: doc.via ?? undefined,
          }),
        };
      }
      default:
        throw notSupported(type);
    }
  }

  async #consultationResources(consultationId: string): Promise<Resource[]> {
    const graph = await this.#loader.load(consultationId);
    return graph ? this.#resourcesOf(graph) : [];
  }

  #resourcesOf(graph: ConsultationGraph): Resource[] {
    const resources = consultationResources(graph, this.#mapping);
    // The Encounter is the consultation record, which has a version (optimistic concurrency): its ETag.
    for (const resource of resources)
      if (resource.resourceType === 'Encounter')
        resource.meta = { ...resource.meta, versionId: String(graph.consultation.version) };
    return resources;
  }

  /**
   * Every resource of the patient's record the caller may see: the Patient, then each consultation's resources
   * (newest consultation first), each once. Found through the `patientId` index of consultations.
   */
  async #patientCompartment(
    caller: FhirCaller,
    patientId: string,
    onlyType: string | undefined,
  ): Promise<{ resources: Resource[]; patientId: string; history: Set<Resource> }> {
    if (onlyType) this.#assertTypeAllowed(caller, onlyType);
    else this.#assertTypeAllowed(caller, 'Patient');
    const patient = await this.#models.Patient.findById(patientId).lean<Stored<PatientDoc>>();
    if (!patient) throw notFound('Patient', patientId);
    let filter: Record<string, unknown> = { patientId: patient._id };
    let grantOf: (doc: ConsultationListRow) => ConsultationReadGrant = () => 'party';
    if (caller.kind === 'user') {
      if (!onlyType) assertRole(caller.user, ['clinic_doctor', 'specialist']);
      ({ filter, grantOf } = await this.#access.consultationListScope(caller.user, patient));
    }
    const ids = await this.#models.Consultation.find(filter, { _id: 1, specialistId: 1, appointmentId: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(maxConsultationsPerPatient + 1)
      .lean<ConsultationListRow[]>();
    if (ids.length > maxConsultationsPerPatient) {
      throw new AppError('UNPROCESSABLE', {
        en: `This patient has more than ${maxConsultationsPerPatient} consultations; use Bulk Data export ($export).`,
        ar: `لهذا المريض أكثر من ${maxConsultationsPerPatient} استشارة؛ استخدم التصدير الجماعي ($export).`,
      });
    }
    const seen = new Set<string>();
    const resources: Resource[] = [];
    const history = new Set<Resource>();
    const grants = new Map(ids.map((row) => [row._id.toHexString(), grantOf(row)]));
    const add = (resource: Resource) => {
      const key = `${resource.resourceType}/${resource.id}`;
      if (seen.has(key)) return;
      seen.add(key);
      resources.push(resource);
    };
    if (!onlyType) add(mapPatient(toPatient(patient)));
    // In batches: each is four rounds of `$in` reads whatever its size (no query per consultation).
    for (let start = 0; start < ids.length; start += graphBatchSize) {
      const batch = ids.slice(start, start + graphBatchSize).map(({ _id }) => _id.toHexString());
      for (const graph of await this.#loader.loadMany(batch)) {
        for (const resource of this.#resourcesOf(graph)) {
          if (onlyType && resource.resourceType !== onlyType) continue;
          // $everything is the patient's compartment: practitioners and organizations stay as references.
          if (!onlyType && !inPatientCompartment(resource)) continue;
          // A system client gets the types its token's scopes cover, nothing else of the record.
          if (!this.#covers(caller, resource.resourceType)) continue;
          add(resource);
          if (grants.get(graph.consultation.id) === 'history') history.add(resource);
        }
      }
    }
    return { resources, patientId, history };
  }

  async #searchPatients(caller: FhirCaller, criteria: SearchCriteria, request: string): Promise<SearchPage> {
    let scope: { clinicId?: Types.ObjectId } = {};
    if (caller.kind === 'user') scope = this.#access.patientSearchScope(caller.user);
    const filter = patientSearchMongoFilter(criteria.values, scope.clinicId);
    const [docs, total] = await Promise.all([
      this.#models.Patient.find(filter)
        .sort({ _id: 1 })
        .skip(criteria.offset)
        .limit(criteria.count)
        .lean<Stored<PatientDoc>[]>(),
      Object.keys(filter).length > 0 ? this.#models.Patient.countDocuments(filter) : undefined,
    ]);
    const resources = docs.map((doc) => mapPatient(toPatient(doc)));
    const patients = new Map<Resource, string>(resources.map((r) => [r, r.id as string]));
    await this.#auditRead(caller, request, resources, { patients, isSearch: true });
    return { resources, total, offset: criteria.offset, count: criteria.count, criteria };
  }

  async #page(
    caller: FhirCaller,
    request: string,
    all: Resource[],
    criteria: SearchCriteria,
    patientId: string,
    history?: Set<Resource>,
  ): Promise<SearchPage> {
    const resources = all.slice(criteria.offset, criteria.offset + criteria.count);
    await this.#auditRead(caller, request, resources, {
      patients: new Map(resources.map((r) => [r, patientId])),
      history,
      isSearch: true,
    });
    return { resources, total: all.length, offset: criteria.offset, count: criteria.count, criteria };
  }

  /**
   * One audit event for the request, naming every resource answered and each patient once; as the records API
   * does, what a specialist read as the patient's signed history is an event of its own kind
   * (`consultation-history`), so an auditor tells a party from a reader of the past. A search is audited even
   * when it finds nothing: someone looked.
   */
  async #auditRead(
    caller: FhirCaller,
    request: string,
    resources: Resource[],
    {
      patients,
      history,
      isSearch = false,
    }: {
      patients?: Map<Resource, string> | undefined;
      history?: Set<Resource> | undefined;
      isSearch?: boolean;
    },
  ): Promise<void> {
    const named = new Set<string>();
    const entries: AuditEntry[] = resources.map((resource) => {
      const patientId = patients?.get(resource);
      const asHistory = history?.has(resource) ?? false;
      const entry: AuditEntry = {
        action: 'read',
        resourceType: asHistory ? consultationHistoryAudit.resourceType : 'fhir',
        resourceId: `${resource.resourceType}/${resource.id}`,
        outcome: 'success',
        reason: (asHistory ? `${consultationHistoryAudit.reason}; ${request}` : request).slice(0, 300),
      };
      if (patientId && !named.has(`${entry.resourceType}\u0000${patientId}`)) {
        named.add(`${entry.resourceType}\u0000${patientId}`);
        entry.patientId = patientId;
      }
      return entry;
    });
    if (entries.length === 0 && isSearch)
      entries.push({
        action: 'read',
        resourceType: 'fhir',
        outcome: 'success',
        reason: request.slice(0, 200),
      });
    await this.#audit.recordMany(caller.actor, entries);
  }
}

/** Practitioners, roles and organizations are shared, not the patient's: `$everything` refers to them. */
function inPatientCompartment(resource: Resource): boolean {
  return !['Practitioner', 'PractitionerRole', 'Organization'].includes(resource.resourceType);
}

function notFound(type: string, id: string): AppError {
  return new AppError('NOT_FOUND', {
    en: `${type}/${id.slice(0, 80)} does not exist.`,
    ar: `المورد ${type}/${id.slice(0, 80)} غير موجود.`,
  });
}

function notSupported(what: string): AppError {
  return new AppError('FHIR_NOT_SUPPORTED', {
    en: `${what.slice(0, 80)} is not served here; /fhir/metadata lists the resource types and operations.`,
    ar: `${what.slice(0, 80)} غير متاح على هذا الخادم؛ القائمة الكاملة للأنواع والعمليات في /fhir/metadata.`,
  });
}
