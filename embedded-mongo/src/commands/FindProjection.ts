import type { Document } from 'bson';
import { Query } from 'mingo';
import { pickTopLevel } from '../bson/rawFields.js';
import { serialize } from '../bson/serialize.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import { MongoCommandError } from './MongoCommandError.js';
import { PositionalProjection } from './PositionalProjection.js';
import { requireDocument } from './queryEngine.js';

/** Top-level fields kept (inclusion) or dropped (exclusion), when that is all a projection asks. */
interface FieldSelection {
  include: boolean;
  /** The named top-level fields, `_id` handled separately. */
  names: Set<string>;
  keepId: boolean;
}

/**
 * A find projection. Mingo applies it, with one exception: a projection that only keeps or only
 * drops top-level fields (`{name: 1, phone: 1}`, the common case from mongoose `select`) is applied
 * to the stored bytes directly, which gives the same document without decoding and re-encoding it. A
 * positional element (`{'a.$': 1}`) is this class's own (PositionalProjection), after the rest.
 */
export class FindProjection {
  readonly #spec: Document;
  readonly #query: Query | undefined;
  readonly #selection: FieldSelection | undefined;
  readonly #includedNames: Buffer[] | undefined;
  readonly #positional: PositionalProjection | undefined;

  private constructor(
    spec: Document,
    selection: FieldSelection | undefined,
    query: Query | undefined,
    positional: PositionalProjection | undefined,
  ) {
    this.#spec = spec;
    this.#query = query;
    this.#selection = selection;
    this.#positional = positional;
    if (selection?.include) {
      this.#includedNames = [...selection.names, ...(selection.keepId ? ['_id'] : [])].map((name) =>
        Buffer.from(name, 'utf8'),
      );
    }
  }

  /** The projection of a find or findAndModify, or undefined when there is none. */
  static compile(projection: unknown, filter: Document): FindProjection | undefined {
    if (projection === undefined || projection === null) return undefined;
    let spec = requireDocument(projection, 'projection');
    if (Object.keys(spec).length === 0) return undefined;
    let positional: PositionalProjection | undefined;
    if (PositionalProjection.isUsedIn(spec)) {
      // Parsed here, not by mingo: mingo's positional projection fails on documents it cannot place.
      positional = PositionalProjection.parse(spec, filter);
      spec = positional.baseSpec;
    }
    const selection = fieldSelection(spec);
    // A field selection is valid by construction: no mingo query to build for it.
    if (selection) return new FindProjection(spec, selection, undefined, positional);
    try {
      const query = new Query({});
      // Validated once so that a bad projection fails the command rather than a later getMore.
      query.find([{}], spec).all();
      return new FindProjection(spec, undefined, query, positional);
    } catch (error) {
      throw MongoCommandError.from(error);
    }
  }

  /** The projected document. Throws mongod's executor errors of the positional projection. */
  apply(doc: Document): Document {
    const projected = this.#project(doc);
    return this.#positional ? this.#positional.apply(doc, projected) : projected;
  }

  /** The projected document as BSON, from the stored bytes when the projection allows. */
  applyStored(doc: StoredDocument): Buffer {
    if (this.#includedNames && !this.#positional) return pickTopLevel(doc.raw, this.#includedNames);
    return serialize(this.apply(doc.doc));
  }

  #project(doc: Document): Document {
    const selection = this.#selection;
    if (!selection) return this.#query!.find([doc], this.#spec).all()[0] ?? {};
    const out: Document = {};
    for (const key of Object.keys(doc)) {
      const wanted = key === '_id' ? selection.keepId : selection.names.has(key) === selection.include;
      if (wanted) out[key] = doc[key];
    }
    return out;
  }
}

function fieldSelection(spec: Document): FieldSelection | undefined {
  let include: boolean | undefined;
  let keepId = true;
  const names = new Set<string>();
  for (const [key, value] of Object.entries(spec)) {
    // Anything else (expressions, $slice, $elemMatch, dotted paths, positional) is mingo's.
    if (typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    if (key.includes('.') || key.startsWith('$')) return undefined;
    const keep = value !== 0 && value !== false;
    if (key === '_id') {
      keepId = keep;
      continue;
    }
    if (include !== undefined && include !== keep) return undefined;
    include = keep;
    names.add(key);
  }
  // `{_id: 0}` alone drops only `_id`; `{_id: 1}` alone keeps only `_id`.
  return { include: include ?? keepId, names, keepId };
}
