/** Removes user and password from an endpoint so it can be printed and stored. */
export function redactUrl(url: string): string {
  if (!url.includes("://")) {
    // A broker list (host:port,user:pw@host:port): drop anything before an `@`.
    return url.replace(/[^,@/]+@/g, "***@");
  }
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = parsed.username ? "***" : "";
    parsed.password = parsed.password ? "***" : "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//***@");
  }
}
