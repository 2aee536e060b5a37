/** The packaged templates cannot be turned into a tenant template; the message names every offender. */
export class TenantTemplateError extends Error {
  override name = 'TenantTemplateError';
}

/** A tenant stack is in a state the caller cannot work with (e.g. rolled back). */
export class TenantStackStateError extends Error {
  override name = 'TenantStackStateError';
  constructor(
    message: string,
    readonly stackName: string,
    readonly status: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A release could not finish: a wave of stack updates failed, or an upload did. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}
