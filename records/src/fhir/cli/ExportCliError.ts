/**
 * Why the export CLI stops without a result: a refusal of the server (its OperationOutcome's text or the token
 * endpoint's description, as it came), a bad option, or a failed job. `exitCode` is what the process ends with.
 */
export class ExportCliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'ExportCliError';
    this.exitCode = exitCode;
  }
}
