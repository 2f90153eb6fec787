/**
 * The TLS listener of `reddish-server` from redis.conf's `tls-*` parameters, as redis-server reads
 * them: `tls-cert-file`, `tls-key-file` (+ `tls-key-file-pass`), `tls-ca-cert-file` /
 * `tls-ca-cert-dir`, `tls-auth-clients` (yes: a client certificate signed by the CA is required,
 * the default; optional: one is verified if presented; no), `tls-protocols`, `tls-ciphers`,
 * `tls-ciphersuites`, `tls-prefer-server-ciphers`, `tls-dh-params-file`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TlsOptions } from "node:tls";

/** Node's TLS server options plus whether a presented but invalid client certificate is refused. */
export interface TlsListenerOptions {
  tls: TlsOptions;
  /** `tls-auth-clients optional`: no certificate is fine, an invalid one is not. */
  refuseInvalidClientCerts: boolean;
}

const PROTOCOLS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;

function read(param: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${param} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Every regular file of `tls-ca-cert-dir` (OpenSSL's hashed names or plain PEM files alike). */
function caDir(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new Error(`cannot read tls-ca-cert-dir ${dir}: ${(e as Error).message}`, { cause: e });
  }
  return names
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => read("tls-ca-cert-dir", path));
}

/**
 * Builds the TLS listener's options from configuration parameters (by redis.conf name). Throws an
 * Error with redis-server's message when they do not make a working TLS setup.
 */
export function tlsListenerOptions(config: Record<string, string | undefined>): TlsListenerOptions {
  const get = (name: string) =>
    config[name] === undefined || config[name] === "" ? undefined : config[name];
  const certFile = get("tls-cert-file");
  const keyFile = get("tls-key-file");
  if (certFile === undefined || keyFile === undefined) {
    throw new Error("TLS: both tls-cert-file and tls-key-file are required with tls-port");
  }
  const auth = (get("tls-auth-clients") ?? "yes").toLowerCase();
  if (auth !== "yes" && auth !== "no" && auth !== "optional") {
    throw new Error(`tls-auth-clients must be one of yes, no, optional (got '${auth}')`);
  }
  const caFile = get("tls-ca-cert-file");
  const caDirectory = get("tls-ca-cert-dir");
  if (auth !== "no" && caFile === undefined && caDirectory === undefined) {
    // redis-server's own message for this setup.
    throw new Error(
      "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!",
    );
  }
  const tls: TlsOptions = { cert: read("tls-cert-file", certFile), key: read("tls-key-file", keyFile) };
  const pass = get("tls-key-file-pass");
  if (pass !== undefined) tls.passphrase = pass;
  const ca = [
    ...(caFile !== undefined ? [read("tls-ca-cert-file", caFile)] : []),
    ...(caDirectory !== undefined ? caDir(caDirectory) : []),
  ];
  if (ca.length > 0) tls.ca = ca;
  if (auth !== "no") {
    tls.requestCert = true;
    tls.rejectUnauthorized = auth === "yes";
  }
  const protocols = get("tls-protocols");
  if (protocols !== undefined) {
    const list = protocols.split(/\s+/).filter((p) => p !== "");
    const indexes = list.map((p) => PROTOCOLS.findIndex((known) => known.toLowerCase() === p.toLowerCase()));
    if (list.length === 0 || indexes.some((i) => i < 0)) {
      throw new Error(
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      );
    }
    // Node takes a range: from the oldest to the newest protocol listed.
    tls.minVersion = PROTOCOLS[Math.min(...indexes)]!;
    tls.maxVersion = PROTOCOLS[Math.max(...indexes)]!;
  }
  const ciphers = get("tls-ciphers");
  const suites = get("tls-ciphersuites");
  // Node takes TLS 1.2 ciphers and TLS 1.3 suites in one list.
  if (ciphers !== undefined || suites !== undefined) {
    tls.ciphers = [suites, ciphers].filter((c) => c !== undefined).join(":");
  }
  if ((get("tls-prefer-server-ciphers") ?? "no").toLowerCase() === "yes") tls.honorCipherOrder = true;
  const dh = get("tls-dh-params-file");
  if (dh !== undefined) tls.dhparam = read("tls-dh-params-file", dh);
  return { tls, refuseInvalidClientCerts: auth === "optional" };
}
