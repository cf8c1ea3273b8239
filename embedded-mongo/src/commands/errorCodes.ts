/** MongoDB server error codes used by this server, with MongoDB's own code names. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  InvalidBSON: 22,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  CursorNotFound: 43,
  Unauthorized: 13,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  RoleNotFound: 31,
  UserNotFound: 11,
  MechanismUnavailable: 334,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  CommandNotSupported: 115,
  InvalidIdField: 53,
  DollarPrefixedFieldName: 52,
  CommandNotSupportedOnView: 166,
  InvalidPipelineOperator: 168,
  OptionNotSupportedOnView: 167,
  InvalidViewDefinition: 182,
  CannotIndexParallelArrays: 171,
  QueryPlanKilled: 175,
  DocumentValidationFailure: 121,
  BSONObjectTooLarge: 10334,
  IndexBuildAborted: 276,
  DuplicateKey: 11000,
  UserAlreadyExists: 51003,
  ChangeStreamNotSupported: 40573,
} as const;

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
codeNames.set(ErrorCode.ChangeStreamNotSupported, 'Location40573');
codeNames.set(ErrorCode.UserAlreadyExists, 'Location51003');

/** MongoDB's codeName for a code, or `Location<code>` as the server reports unnamed codes. */
export function codeNameOf(code: number): string {
  return codeNames.get(code) ?? `Location${code}`;
}
