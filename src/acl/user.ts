/**
 * An ACL user (Redis 7.0's `user`): flags, SHA-256 password hashes and selectors (the root one
 * first), the ACL SETUSER rules that change it, and its ACL LIST description. Pure value logic.
 */
import { createHash } from "node:crypto";
import { RuleFailure, Selector } from "./selector.js";

/** Redis's ACLHashPassword: SHA-256 of the password bytes, lower-case hex. */
export function hashPassword(password: string): string {
  return createHash("sha256").update(Buffer.from(password, "latin1")).digest("hex");
}

/** Redis's ACLCheckPasswordHash: exactly 64 lower-case hex digits. */
function validHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** One user. */
export class User {
  enabled = false;
  nopass = false;
  /** Set by `sanitize-payload` / `skip-sanitize-payload` (shown in flags once set). */
  sanitizePayload: boolean | null = null;
  passwords: string[] = [];
  /** The root selector first, then `(...)` selectors in the order added. */
  selectors: Selector[] = [new Selector(true)];
  /** `reset` grants all channels (acl-pubsub-default allchannels when the user was made). */
  allChannelsOnReset = false;

  constructor(readonly name: string) {}

  get root(): Selector {
    return this.selectors[0]!;
  }

  /** A deep copy. */
  clone(name = this.name): User {
    const u = new User(name);
    u.enabled = this.enabled;
    u.nopass = this.nopass;
    u.sanitizePayload = this.sanitizePayload;
    u.passwords = [...this.passwords];
    u.selectors = this.selectors.map((s) => s.clone());
    u.allChannelsOnReset = this.allChannelsOnReset;
    return u;
  }

  /** Applies one ACL SETUSER rule (Redis's ACLSetUser). Throws {@link RuleFailure}. */
  apply(op: string): void {
    if (op === "") return;
    const lower = op.toLowerCase();
    if (lower === "on") this.enabled = true;
    else if (lower === "off") this.enabled = false;
    else if (lower === "skip-sanitize-payload") this.sanitizePayload = false;
    else if (lower === "sanitize-payload") this.sanitizePayload = true;
    else if (lower === "nopass") {
      this.nopass = true;
      this.passwords = [];
    } else if (lower === "resetpass") {
      this.nopass = false;
      this.passwords = [];
    } else if (op[0] === ">" || op[0] === "#") {
      const hash = op[0] === ">" ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === "#" && !validHash(hash)) throw new RuleFailure("EBADMSG");
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
    } else if (op[0] === "<" || op[0] === "!") {
      const hash = op[0] === "<" ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === "!" && !validHash(hash)) throw new RuleFailure("EBADMSG");
      const at = this.passwords.indexOf(hash);
      if (at < 0) throw new RuleFailure("ENODEV");
      this.passwords.splice(at, 1);
    } else if (op[0] === "(" && op[op.length - 1] === ")") {
      const selector = new Selector(false);
      for (const inner of splitArgs(op.slice(1, -1))) selector.apply(inner);
      this.selectors.push(selector);
    } else if (lower === "clearselectors") {
      this.selectors.length = 1;
    } else if (lower === "reset") {
      this.nopass = false;
      this.passwords = [];
      this.root.apply("resetkeys");
      this.root.apply("resetchannels");
      if (this.allChannelsOnReset) this.root.apply("allchannels");
      this.enabled = false;
      this.sanitizePayload = true;
      this.selectors.length = 1;
      this.root.apply("-@all");
    } else {
      this.root.apply(op);
    }
  }

  /** True if `password` authenticates this user (an enabled check is the caller's). */
  checkPassword(password: string): boolean {
    return this.nopass || this.passwords.includes(hashPassword(password));
  }

  /** The flags GETUSER lists, in Redis's ACLUserFlags order. */
  flags(): string[] {
    const flags = [this.enabled ? "on" : "off"];
    if (this.nopass) flags.push("nopass");
    if (this.sanitizePayload === false) flags.push("skip-sanitize-payload");
    if (this.sanitizePayload === true) flags.push("sanitize-payload");
    return flags;
  }

  /** Redis's ACLDescribeUser: the rules of ACL LIST (without the `user <name>` prefix). */
  describe(): string {
    let out = this.flags().join(" ") + " ";
    for (const p of this.passwords) out += `#${p} `;
    out += this.root.describe();
    for (const s of this.selectors.slice(1)) out += ` (${s.describe()})`;
    return out;
  }
}

/**
 * Splits a selector's inner text into rules the way Redis's sdssplitargs does for plain words
 * (spaces separate; quotes are honoured), which is all a selector body holds.
 */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = "";
    const quote = text[i] === '"' || text[i] === "'" ? text[i++] : null;
    while (i < text.length && (quote ? text[i] !== quote : !/\s/.test(text[i]!))) word += text[i++];
    if (quote) i++;
    out.push(word);
  }
  return out;
}
