/**
 * Query parameters through which clients accept a credential (ioredis reads `?password=`, Kafka
 * and cloud clients `sasl_password`, `access_key`, `token`…): their values are removed too.
 */
const CREDENTIAL_PARAMETER = /^(password|pass|passwd|pwd|token|secret|auth|api[_-]?key|access[_-]?key|secret[_-]?key|secret[_-]?access[_-]?key|session[_-]?token|sasl[_-]?password|sasl[_-]?username|credentials?|sig|signature)$/i;

/** A comma followed by another URL's scheme: the endpoint lists several whole URLs. */
const SECOND_URL = /,\s*[a-z][a-z0-9+.-]*:\/\//i;

/** Removes user, password and credential query parameters from an endpoint so it can be printed and stored. */
export function redactUrl(url: string): string {
  // A list of whole URLs (NATS_URL=nats://u:p@h1:4222,nats://u:p@h2:4222): each is redacted on its own.
  if (SECOND_URL.test(url)) return url.split(",").map((part) => redactUrl(part)).join(",");
  if (!url.includes("://")) {
    // A broker list (host:port,user:pw@host:port): drop anything before an `@`.
    return redactQuery(url.replace(/[^,@/]+@/g, "***@"));
  }
  try {
    const parsed = new URL(url);
    const credentialParameters = [...parsed.searchParams.keys()].filter((k) => CREDENTIAL_PARAMETER.test(k));
    if (!parsed.username && !parsed.password && credentialParameters.length === 0) return url;
    parsed.username = parsed.username ? "***" : "";
    parsed.password = parsed.password ? "***" : "";
    for (const k of credentialParameters) parsed.searchParams.set(k, "***");
    return parsed.toString().replaceAll("%2A%2A%2A", "***");
  } catch {
    return redactQuery(url.replace(/\/\/[^/@]*@/, "//***@"));
  }
}

/**
 * The credentials an endpoint carries, as written and as a client decodes them to send: its
 * password (or a user name standing alone, as a token is often given), and the values of its
 * credential parameters. A user name beside a password is not a secret.
 */
export function credentialsInUrl(url: string): string[] {
  const found: string[] = [];
  const query = url.indexOf("?");
  if (query >= 0) {
    for (const m of url.slice(query + 1).matchAll(/([^=&;#]+)=([^&;#]*)/g)) if (CREDENTIAL_PARAMETER.test(m[1] ?? "")) found.push(m[2] ?? "");
  }
  const authority = url.slice(url.includes("://") ? url.indexOf("://") + 3 : 0, query >= 0 ? query : undefined);
  // In a list of whole URLs, each part after the first starts with its own scheme.
  const parts = authority.split(",").map((part) => part.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, ""));
  for (const userinfo of parts.map((part) => /^([^/@]*)@/.exec(part)?.[1]).filter((u) => u !== undefined)) {
    const colon = userinfo.indexOf(":");
    found.push(colon >= 0 ? userinfo.slice(colon + 1) : userinfo);
  }
  return [...new Set(found.flatMap((value) => [value, safeDecode(value)]))].filter(Boolean);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The credential parameters of a query string that does not parse as a URL. */
function redactQuery(text: string): string {
  return text.replace(/([?&;])([^=&;#]+)=([^&;#]*)/g, (whole, sep: string, key: string) => (CREDENTIAL_PARAMETER.test(key) ? `${sep}${key}=***` : whole));
}
