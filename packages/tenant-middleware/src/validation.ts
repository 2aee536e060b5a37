import { BadRequestError } from './errors.js';

/** Checks one value and returns it typed, or throws a {@link BadRequestError} naming `field`. */
export type FieldValidator<T> = (value: unknown, field: string) => T;

type Shape = Record<string, FieldValidator<unknown>>;
type Output<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

const invalid = (field: string, rule: string): BadRequestError =>
  new BadRequestError(`${field} ${rule}`, { field });

const required = (value: unknown, field: string): void => {
  if (value === undefined || value === null) throw invalid(field, 'is required');
};

/** A string, optionally with length bounds and a pattern (`description` explains the pattern). */
export const string =
  (rules: { minLength?: number; maxLength?: number; pattern?: RegExp; description?: string } = {}) =>
  (value: unknown, field: string): string => {
    required(value, field);
    if (typeof value !== 'string') throw invalid(field, 'must be a string');
    const { minLength = 1, maxLength = 10_000, pattern, description } = rules;
    if (value.length < minLength || value.length > maxLength) {
      throw invalid(field, `must be ${minLength}-${maxLength} characters long`);
    }
    if (pattern && !pattern.test(value)) throw invalid(field, `must be ${description ?? `like ${pattern}`}`);
    return value;
  };

/** A safe integer within `[min, max]`. */
export const integer =
  (rules: { min?: number; max?: number } = {}) =>
  (value: unknown, field: string): number => {
    required(value, field);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = rules;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(field, 'must be an integer');
    if (value < min || value > max) throw invalid(field, `must be between ${min} and ${max}`);
    return value;
  };

/** One of a fixed set of strings. */
export const oneOf =
  <const T extends string>(values: readonly T[]) =>
  (value: unknown, field: string): T => {
    required(value, field);
    if (!values.includes(value as T)) throw invalid(field, `must be one of ${values.join(', ')}`);
    return value as T;
  };

/** Lets a field be absent (`undefined`); `null` is still rejected by the inner validator. */
export const optional =
  <T>(validator: FieldValidator<T>) =>
  (value: unknown, field: string): T | undefined =>
    value === undefined ? undefined : validator(value, field);

/** An array whose items pass `item`; items are named `field[i]`. */
export const arrayOf =
  <T>(item: FieldValidator<T>, rules: { minLength?: number; maxLength?: number } = {}) =>
  (value: unknown, field: string): T[] => {
    required(value, field);
    if (!Array.isArray(value)) throw invalid(field, 'must be an array');
    const { minLength = 0, maxLength = 1000 } = rules;
    if (value.length < minLength || value.length > maxLength) {
      throw invalid(field, `must have ${minLength}-${maxLength} items`);
    }
    return value.map((entry, index) => item(entry, `${field}[${index}]`));
  };

/**
 * A JSON object with exactly the fields of `shape`: an unknown field is a 400 that names it.
 * Nested objects name their fields with a dotted path.
 *
 * @example
 * ```ts
 * const createProductBody = strictObject({
 *   name: string({ maxLength: 200 }),
 *   price: integer({ min: 0 }),
 *   category: optional(string()),
 * });
 * ```
 */
export const strictObject = <S extends Shape>(shape: S) => {
  const validate = (value: unknown, field?: string): Output<S> => {
    const name = field ?? 'body';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestError(`${name} must be a JSON object`, field ? { field } : {});
    }
    const path = (key: string) => (field ? `${field}.${key}` : key);
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) throw invalid(path(key), 'is not a known field');
    }
    const output: Record<string, unknown> = {};
    for (const [key, validator] of Object.entries(shape)) {
      const result = validator((value as Record<string, unknown>)[key], path(key));
      if (result !== undefined) output[key] = result;
    }
    return output as Output<S>;
  };
  return validate;
};

/** Reads and validates one path parameter. */
export function pathParameter<T>(
  event: { pathParameters: Record<string, string | undefined> | null },
  name: string,
  validator: FieldValidator<T>,
): T {
  return validator(event.pathParameters?.[name], name);
}

/** An integer written in decimal digits (a query-string value), within `[min, max]`. */
export const integerText =
  (rules: { min?: number; max?: number } = {}) =>
  (value: unknown, field: string): number => {
    required(value, field);
    if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw invalid(field, 'must be an integer');
    return integer(rules)(Number(value), field);
  };

/** Reads and validates one query-string parameter (absent is `undefined`). */
export function queryParameter<T>(
  event: { queryStringParameters: Record<string, string | undefined> | null },
  name: string,
  validator: FieldValidator<T>,
): T {
  return validator(event.queryStringParameters?.[name], name);
}
