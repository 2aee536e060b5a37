/** A user with this e-mail address (its user name) already exists in the pool. */
export class UserExistsError extends Error {
  constructor(options: { cause?: unknown } = {}) {
    super('a user with this e-mail already exists', options);
    this.name = 'UserExistsError';
  }
}
