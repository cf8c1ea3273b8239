import type { Document } from 'bson';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { checkValidationOptions, checkValidator } from './documentValidator.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName } from './queryEngine.js';
import { checkViewDefinition, isView } from './views.js';

const IGNORED = new Set([
  'collMod',
  'lsid',
  'writeConcern',
  'comment',
  '$db',
  '$readPreference',
  '$clusterTime',
]);
const COLLECTION_OPTIONS = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'index',
  'expireAfterSeconds',
]);
const VIEW_OPTIONS = new Set(['viewOn', 'pipeline']);

/**
 * collMod: a no-op, a collection's validator options, or a view's definition. Options this server does
 * not keep are refused by name, never accepted and dropped.
 */
function collMod(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'collMod');
  const coll = ctx.env.catalog.get(ctx.db, name);
  if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const view = isView(coll);
  const changes: Document = {};
  for (const [key, value] of Object.entries(ctx.body)) {
    if (IGNORED.has(key) || key.startsWith('$')) continue;
    if (view ? !VIEW_OPTIONS.has(key) : !COLLECTION_OPTIONS.has(key)) {
      if (VIEW_OPTIONS.has(key) || COLLECTION_OPTIONS.has(key)) {
        const why = view ? 'not supported on a view' : 'only supported on a view';
        throw new MongoCommandError(ErrorCode.InvalidOptions, `option ${why}: ${key}`);
      }
      throw new MongoCommandError(40415, `BSON field 'collMod.${key}' is an unknown field.`);
    }
    if (key === 'index' || key === 'expireAfterSeconds') {
      throw new MongoCommandError(
        ErrorCode.CommandNotSupported,
        `collMod ${key} is not supported by the embedded MongoDB server`,
      );
    }
    changes[key] = value;
  }
  if (Object.keys(changes).length === 0) return { ok: 1 };
  const options: Document = { ...coll.options, ...changes };
  if (view) {
    options.pipeline = checkViewDefinition(options.viewOn, options.pipeline);
  } else {
    if (changes.validator !== undefined) checkValidator(changes.validator);
    checkValidationOptions(options);
  }
  ctx.env.catalog.modify(ctx.db, name, options);
  return { ok: 1 };
}

export function registerCollModCommand(dispatcher: CommandDispatcher): void {
  dispatcher.register('collMod', collMod);
}
