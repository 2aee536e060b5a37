import { CliError, EXIT } from './errors.js';

/** An HTTP answer with its JSON body (`{}` when empty or not JSON). */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Sends one JSON request. A network failure (nothing listening, DNS) is a `CliError` with exit code 3
 * that names the address and suggests starting the stack.
 */
export async function requestJson(
  fetchFn: Fetch,
  method: string,
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    throw unreachable(url, error);
  }
  const text = await response.text();
  return { status: response.status, body: parseBody(text) };
}

function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The error for a request that reached nothing. */
export function unreachable(url: string, error: unknown): CliError {
  const { origin } = new URL(url);
  const code = networkCode(error);
  return new CliError(
    `cannot reach ${origin}${code ? ` (${code})` : ''}: is the stack running? Start it with pnpm dev, or check the endpoints file`,
    EXIT.environment,
    { cause: error },
  );
}

/** `ECONNREFUSED` and friends, from undici's `fetch failed` (cause) or an SDK error (code). */
function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error for an answer the command did not expect: the server's safe `message` (contract §4),
 * the status, and a hint when there is one. A 400 is bad input (exit 2), anything else exit 1.
 */
export function apiError(what: string, answer: ApiAnswer, hint?: string): CliError {
  const message = typeof answer.body.message === 'string' ? answer.body.message : 'no message';
  return new CliError(
    `${what}: ${message} (HTTP ${answer.status})${hint ? `; ${hint}` : ''}`,
    answer.status === 400 ? EXIT.usage : EXIT.failed,
  );
}
