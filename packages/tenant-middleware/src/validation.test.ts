import { describe, expect, it } from 'vitest';
import { BadRequestError } from './errors.js';
import {
  arrayOf,
  integer,
  integerText,
  oneOf,
  optional,
  pathParameter,
  queryParameter,
  strictObject,
  string,
} from './validation.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestError) return error.field;
    throw error;
  }
  return undefined;
};

describe('validation', () => {
  const order = strictObject({
    lines: arrayOf(strictObject({ productId: string(), quantity: integer({ min: 1 }) }), { minLength: 1 }),
    note: optional(string({ maxLength: 5 })),
    tier: optional(oneOf(['basic', 'premium'])),
  });

  it('accepts a valid object and leaves absent optional fields out', () => {
    expect(order({ lines: [{ productId: 'p', quantity: 2 }] })).toEqual({
      lines: [{ productId: 'p', quantity: 2 }],
    });
  });

  it('names nested fields with their path', () => {
    expect(fieldOf(() => order({ lines: [{ productId: 'p', quantity: 0 }] }))).toBe('lines[0].quantity');
    expect(fieldOf(() => order({ lines: [{ productId: 'p', quantity: 1, x: 1 }] }))).toBe('lines[0].x');
  });

  it('rejects null for an optional field, wrong enum values and non-objects', () => {
    expect(fieldOf(() => order({ lines: [{ productId: 'p', quantity: 1 }], note: null }))).toBe('note');
    expect(fieldOf(() => order({ lines: [{ productId: 'p', quantity: 1 }], tier: 'gold' }))).toBe('tier');
    expect(() => order([])).toThrow(/body must be a JSON object/);
  });

  it('rejects floats as integers and strings outside their pattern', () => {
    expect(() => integer()(1.5, 'price')).toThrow('price must be an integer');
    expect(() => string({ pattern: /^[a-z]+$/, description: 'lowercase' })('A', 'name')).toThrow(
      'name must be lowercase',
    );
  });

  it('reports a missing path parameter by name', () => {
    expect(fieldOf(() => pathParameter({ pathParameters: null }, 'productId', string()))).toBe('productId');
  });

  it('reads an integer query parameter in range and names it otherwise', () => {
    const limit = optional(integerText({ min: 1, max: 100 }));
    expect(queryParameter({ queryStringParameters: { limit: '25' } }, 'limit', limit)).toBe(25);
    expect(queryParameter({ queryStringParameters: null }, 'limit', limit)).toBeUndefined();
    for (const value of ['0', '101', '2.5', '-1', 'ten', '', '1e2'])
      expect(fieldOf(() => queryParameter({ queryStringParameters: { limit: value } }, 'limit', limit))).toBe(
        'limit',
      );
  });
});
