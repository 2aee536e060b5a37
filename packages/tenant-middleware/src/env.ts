/**
 * Reads required environment variables once, failing fast with every missing name at once.
 *
 * @example
 * ```ts
 * export const config = (({ PRODUCT_TABLE_NAME }) => ({ productTableName: PRODUCT_TABLE_NAME }))(
 *   requireEnv(['PRODUCT_TABLE_NAME']),
 * );
 * ```
 */
export function requireEnv<const K extends string>(
  names: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Record<K, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment variables: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<K, string>;
}
