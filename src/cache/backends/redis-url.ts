/**
 * Parsing of the production backends' URLs. `redis://` and `rediss://` are ordinary URLs; the
 * multi-host forms (`redis+cluster://h1:p1,h2:p2`, `redis+sentinel://s1:p1,s2:p2/name`,
 * `memcached://h1:p1,h2:p2`) are not valid WHATWG URLs (a host list is not a host), so every form
 * is parsed here by one small grammar:
 *
 *     scheme://[user[:password]@]host[:port][,host[:port]...][/path][?name=value&...]
 *
 * Hosts may be bracketed IPv6 addresses (`[::1]:6379`); user, password, path segments and query
 * values are percent-decoded.
 */
import { CacheConfigError } from "../errors.js";

/** One `host:port` of a URL's host list. */
export interface HostPort {
  host: string;
  port: number;
}

/** A parsed backend URL. */
export interface BackendUrl {
  /** Lower-cased scheme without `:`, e.g. `redis+cluster`. */
  scheme: string;
  username: string | undefined;
  password: string | undefined;
  hosts: HostPort[];
  /** Non-empty path segments, decoded (`/mymaster/2` → `["mymaster", "2"]`). */
  path: string[];
  /** Query parameters (last one wins). */
  params: Map<string, string>;
}

function bad(url: string, why: string): CacheConfigError {
  return new CacheConfigError(`invalid cache URL "${safeUrl(url)}": ${why}`);
}

function decode(url: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw bad(url, `bad percent-encoding in "${s}"`);
  }
}

/** Parses `url` (a string or a URL object); `defaultPort` fills hosts written without a port. */
export function parseBackendUrl(url: string | URL, defaultPort: number): BackendUrl {
  const text = String(url);
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i.exec(text);
  if (!m) throw bad(text, "expected scheme://host:port[,host:port...][/path][?options]");
  const [, scheme, authority, pathText, query] = m as unknown as [string, string, string, string, string?];
  let hostList = authority;
  let username: string | undefined;
  let password: string | undefined;
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const auth = authority.slice(0, at);
    hostList = authority.slice(at + 1);
    const colon = auth.indexOf(":");
    const user = decode(text, colon >= 0 ? auth.slice(0, colon) : auth);
    username = user === "" ? undefined : user;
    if (colon >= 0) password = decode(text, auth.slice(colon + 1));
  }
  if (hostList === "") throw bad(text, "no host");
  const hosts = hostList.split(",").map((entry): HostPort => {
    const hp = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d*))?$/.exec(entry.trim());
    if (!hp) throw bad(text, `bad host "${entry}"`);
    const host = hp[1]!.startsWith("[") ? hp[1]!.slice(1, -1) : hp[1]!;
    const port = hp[2] === undefined || hp[2] === "" ? defaultPort : Number(hp[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(text, `bad port in "${entry}"`);
    return { host, port };
  });
  const path = pathText
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decode(text, s));
  const params = new Map<string, string>();
  for (const pair of (query ?? "").split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(text, (eq >= 0 ? pair.slice(0, eq) : pair).replace(/\+/g, " "));
    params.set(name, decode(text, (eq >= 0 ? pair.slice(eq + 1) : "").replace(/\+/g, " ")));
  }
  return { scheme: scheme.toLowerCase(), username, password, hosts, path, params };
}

/** Reads URL options by name, rejecting unknown ones so that a typo is not silently ignored. */
export class UrlOptions {
  private readonly used = new Set<string>();
  constructor(
    private readonly url: string,
    private readonly params: Map<string, string>,
  ) {}

  /** A string option. */
  string(name: string): string | undefined {
    this.used.add(name);
    return this.params.get(name);
  }

  /** A non-negative integer option (milliseconds, counts). */
  int(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v === "" || !Number.isInteger(n) || n < 0)
      throw bad(this.url, `option ${name}=${v} is not a non-negative integer`);
    return n;
  }

  /** A boolean option (`true`/`false`/`1`/`0`/`yes`/`no`). */
  bool(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    throw bad(this.url, `option ${name}=${v} is not a boolean`);
  }

  /** Throws if the URL carries an option no one read. */
  done(): void {
    for (const name of this.params.keys()) {
      if (!this.used.has(name)) {
        throw bad(this.url, `unknown option "${name}" (known: ${[...this.used].sort().join(", ")})`);
      }
    }
  }
}

/** The URL text with its password masked (passwords never appear in messages). */
export function safeUrl(url: string | URL): string {
  return String(url).replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.split(":")[0]}:***@`);
}
