/**
 * Readers of CloudFormation resource properties as AWS coerces them (numbers where strings are
 * expected, `"true"` for booleans); a value AWS would reject throws an {@link InvalidPropertyError}
 * that names the resource (`what`) and the property.
 */
import { InvalidPropertyError } from './errors.js';

/** A resource's `Properties`, or any other map of a template. */
export type Props = Record<string, unknown>;

/**
 * A non-empty string property (a number is taken as its string).
 *
 * @example
 * const name = requireString(props, 'Name', `AWS::ApiGateway::RestApi ${logicalId}`);
 */
export function requireString(props: Props, key: string, what: string): string {
  const value = props[key];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '')
    throw new InvalidPropertyError(`${what}: ${key} is required`);
  return value;
}

/**
 * A string property, undefined when absent (a number is taken as its string).
 *
 * @example
 * const description = optionalString(props, 'Description', what);
 */
export function optionalString(props: Props, key: string, what: string): string | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new InvalidPropertyError(`${what}: ${key} must be a string`);
  return value;
}

/**
 * A number property, undefined when absent or empty (a numeric string is taken as its number).
 *
 * @example
 * const ttlSeconds = optionalNumber(props, 'AuthorizerResultTtlInSeconds', what) ?? 300;
 */
export function optionalNumber(props: Props, key: string, what: string): number | undefined {
  const value = props[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new InvalidPropertyError(`${what}: ${key} must be a number`);
  return number;
}

/**
 * A boolean property, undefined when absent (`"true"` and `"false"` count as booleans).
 *
 * @example
 * const enabled = optionalBoolean(props, 'Enabled', what) ?? true;
 */
export function optionalBoolean(props: Props, key: string, what: string): boolean | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidPropertyError(`${what}: ${key} must be a boolean`);
}
