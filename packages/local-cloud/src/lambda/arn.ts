/** A function reference as callers write it: the function's name and an optional version qualifier. */
export interface FunctionTarget {
  functionName: string;
  qualifier: string | undefined;
}

const NAME = /^[a-zA-Z0-9-_]{1,140}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;

/**
 * Parses what Lambda accepts as `FunctionName`: `name`, `name:qualifier`, a partial ARN
 * (`123456789012:function:name[:qualifier]`), a full ARN, or an API Gateway integration URI
 * (`arn:aws:apigateway:…:lambda:path/2015-03-31/functions/<function arn>/invocations`).
 * Returns undefined when the reference is malformed.
 *
 * @example parseFunctionTarget('arn:aws:lambda:us-east-1:000000000000:function:getProduct:1')
 *   // → { functionName: 'getProduct', qualifier: '1' }
 */
export function parseFunctionTarget(reference: string): FunctionTarget | undefined {
  let ref = reference.trim();
  const integration = /\/functions\/(.+?)\/invocations\/?$/.exec(ref);
  if (integration?.[1]) ref = safeDecode(integration[1]);
  const parts = ref.split(':');
  let rest: string[];
  if (parts[0] === 'arn') {
    // arn:partition:lambda:region:account:function:name[:qualifier]
    if (parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    rest = parts.slice(6);
  } else if (parts[1] === 'function' && parts.length >= 3) {
    rest = parts.slice(2);
  } else {
    rest = parts;
  }
  const [functionName, qualifier, ...extra] = rest;
  if (!functionName || !NAME.test(functionName) || extra.length > 0) return undefined;
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) return undefined;
  return { functionName, qualifier };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function functionArn(
  region: string,
  accountId: string,
  functionName: string,
  qualifier?: string,
): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
