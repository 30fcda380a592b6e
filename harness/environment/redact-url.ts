/** Removes user and password from a URL-like endpoint so it can be printed and stored. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = parsed.username ? "***" : "";
    parsed.password = parsed.password ? "***" : "";
    return parsed.toString();
  } catch {
    // Not a URL (e.g. a Kafka broker list host:port,host:port): strip anything before an `@`.
    return url.replace(/[^,@/]+@/g, "***@");
  }
}
