/** The awsQuery wire format of STS: XML responses in the 2011-06-15 namespace. */
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

/** `{a: 'x', b: {c: 'y'}}` → `<a>x</a><b><c>y</c></b>` (undefined members are left out). */
export function toXml(value: Record<string, unknown>): string {
  let xml = '';
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const inner =
      typeof member === 'object' && member !== null
        ? toXml(member as Record<string, unknown>)
        : escapeXml(String(member));
    xml += `<${name}>${inner}</${name}>`;
  }
  return xml;
}

export function resultXml(action: string, result: Record<string, unknown>, requestId: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function errorXml(code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
