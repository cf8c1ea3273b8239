import type { Document } from 'bson';
import { MingoError } from 'mingo/util';
import { codeNameOf, ErrorCode } from './errorCodes.js';

/** A failure reported to the client as a MongoDB command error (`ok: 0`, `code`, `codeName`). */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Document;

  constructor(code: number, message: string, extra: Document = {}) {
    super(message);
    this.name = 'MongoCommandError';
    this.code = code;
    this.codeName = codeNameOf(code);
    this.extra = extra;
  }

  /** The error as a write error entry (`writeErrors[i]`) for batch write commands. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }

  /** The error as a complete command reply. */
  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  static badValue(message: string): MongoCommandError {
    return new MongoCommandError(ErrorCode.BadValue, message);
  }

  static typeMismatch(message: string): MongoCommandError {
    return new MongoCommandError(ErrorCode.TypeMismatch, message);
  }

  /** The same error as mongod reports one met while running a plan: `<context> :: caused by :: <message>`. */
  causing(context: string): MongoCommandError {
    return new MongoCommandError(this.code, `${context} :: caused by :: ${this.message}`, this.extra);
  }

  /**
   * Wraps an error thrown while running a command: mingo's errors (a query, update or pipeline it refused)
   * become BadValue. Anything else (a TypeError, a RangeError) is a fault of this server, not of the request:
   * it is thrown on, for the dispatcher to log and to answer InternalError without its JavaScript message.
   */
  static from(error: unknown): MongoCommandError {
    if (error instanceof MongoCommandError) return error;
    if (error instanceof MingoError) return new MongoCommandError(ErrorCode.BadValue, error.message);
    throw error;
  }
}
