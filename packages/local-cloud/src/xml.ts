/** Helpers for the XML protocols (awsQuery, restXml) that some AWS APIs speak. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Serialises a plain value as awsQuery XML: arrays become `<member>` lists, dates ISO strings. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([name, item]) => `<${name}>${toXml(item)}</${name}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

/** Parses an awsQuery form body into a nested object: `Parameters.member.1.ParameterKey` → `{Parameters: [{ParameterKey}]}`. */
export function parseQueryForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = name.split('.');
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length; i += 1) {
      const part = path[i] as string;
      const last = i === path.length - 1;
      if (part === 'member' || part === 'entry') continue;
      const next = path[i + 1] === 'member' || path[i + 1] === 'entry' ? 'list' : 'map';
      if (last) {
        node[part] = value;
      } else {
        node[part] ??= next === 'list' ? [] : {};
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return normaliseLists(root) as Record<string, unknown>;
}

/** Lists parsed above are objects keyed by 1-based index; turn them into arrays in order. */
function normaliseLists(value: unknown): unknown {
  if (Array.isArray(value)) {
    const indexed = value as unknown as Record<string, unknown>;
    return Object.keys(indexed)
      .filter((key) => /^\d+$/.test(key))
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => normaliseLists(indexed[key]));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseLists(item)]));
  }
  return value;
}
