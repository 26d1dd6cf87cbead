/**
 * Connection URLs carry passwords. Anything that may reach a log, an error or a report goes
 * through `redactUrl` first: the password (in the userinfo part, in query parameters or in an
 * ADO-style `Password=…;` string) becomes `***`.
 */
const SECRET_PARAM = /^(password|pwd|pass|passwd|sslpassword|sslkey|token|secret|api[_-]?key)$/i;

export function redactUrl(url: string): string {
  if (!url.includes('://')) return redactKeyValueString(url);
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, '***');
    }
    // URL encodes '*' in search params; keep the mask readable
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    // not a WHATWG URL (e.g. unusual characters): mask `user:secret@` by hand
    return redactKeyValueString(url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@'));
  }
}

/** `Server=x;User Id=u;Password=secret;` → `…Password=***;`; plain file paths pass through. */
function redactKeyValueString(text: string): string {
  return text.replace(/((?:^|[;?&])\s*(?:password|pwd|passwd|token|secret)\s*=)([^;&]*)/gi, '$1***');
}
