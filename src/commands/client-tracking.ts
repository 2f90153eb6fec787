/** The client-side caching subcommands of CLIENT: TRACKING, CACHING, GETREDIR, TRACKINGINFO (see `server/tracking.ts`). */
import { ConnectionErr, Err, RedisError, TrackingErr } from "../errors.js";
import type { Client } from "../server/client.js";
import type { TrackingOptions } from "../server/tracking.js";
import { parseInt64 } from "../types/string.js";
import { eqi, syntaxError } from "./args.js";

/** CLIENT TRACKING ON | OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
export function clientTrackingCommand(c: Client): void {
  const argv = c.argv;
  const options: TrackingOptions = {
    redirect: 0,
    bcast: false,
    optin: false,
    optout: false,
    noloop: false,
    prefixes: [],
  };
  // Options are parsed (and the redirection checked) before ON/OFF, as in Redis.
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (eqi(opt, "redirect") && more) {
      j++;
      if (options.redirect !== 0) throw new RedisError(TrackingErr.singleRedirect);
      const id = parseInt64(argv[j]!);
      if (id === undefined) throw new RedisError(Err.notInteger);
      if (!c.server.clients.has(Number(id))) throw new RedisError(TrackingErr.noRedirectClient);
      options.redirect = Number(id);
    } else if (eqi(opt, "bcast")) {
      options.bcast = true;
    } else if (eqi(opt, "optin")) {
      options.optin = true;
    } else if (eqi(opt, "optout")) {
      options.optout = true;
    } else if (eqi(opt, "noloop")) {
      options.noloop = true;
    } else if (eqi(opt, "prefix") && more) {
      options.prefixes.push(argv[++j]!);
    } else {
      syntaxError();
    }
  }
  const tracking = c.server.tracking;
  if (eqi(argv[2]!, "on")) {
    const state = c.tracking;
    if (!options.bcast && options.prefixes.length > 0) throw new RedisError(TrackingErr.prefixNeedsBcast);
    if (state !== null && state.bcast !== options.bcast) throw new RedisError(TrackingErr.switchBcast);
    if (options.bcast && (options.optin || options.optout)) throw new RedisError(TrackingErr.optWithBcast);
    if (options.optin && options.optout) throw new RedisError(TrackingErr.optinAndOptout);
    if ((options.optin && state?.optout) || (options.optout && state?.optin)) {
      throw new RedisError(TrackingErr.switchOpt);
    }
    if (options.bcast) {
      const collision = tracking.prefixCollision(c, options.prefixes);
      if (collision) {
        throw new RedisError(
          collision.existing
            ? TrackingErr.prefixOverlapsExisting(collision.prefix, collision.other)
            : TrackingErr.prefixOverlapsProvided(collision.prefix, collision.other),
        );
      }
    }
    tracking.enable(c, options);
  } else if (eqi(argv[2]!, "off")) {
    tracking.disable(c);
  } else {
    syntaxError();
  }
  c.reply.simple("OK");
}

/** CLIENT CACHING YES | NO */
export function clientCachingCommand(c: Client): void {
  const state = c.tracking;
  if (state === null) throw new RedisError(ConnectionErr.cachingWithoutTracking);
  const opt = c.argv[2]!;
  if (eqi(opt, "yes")) {
    if (!state.optin) throw new RedisError(TrackingErr.cachingYes);
  } else if (eqi(opt, "no")) {
    if (!state.optout) throw new RedisError(TrackingErr.cachingNo);
  } else {
    syntaxError();
  }
  state.caching = true;
  c.reply.simple("OK");
}

/** CLIENT GETREDIR */
export function clientGetredirCommand(c: Client): void {
  c.reply.integer(c.tracking === null ? -1 : c.tracking.redirect);
}

/** CLIENT TRACKINGINFO */
export function clientTrackinginfoCommand(c: Client): void {
  const state = c.tracking;
  const flags: string[] = [state === null ? "off" : "on"];
  if (state !== null) {
    if (state.bcast) flags.push("bcast");
    if (state.optin) flags.push("optin");
    if (state.optin && state.caching) flags.push("caching-yes");
    if (state.optout) flags.push("optout");
    if (state.optout && state.caching) flags.push("caching-no");
    if (state.noloop) flags.push("noloop");
    if (state.brokenRedirect) flags.push("broken_redirect");
  }
  const r = c.reply;
  r.map(3);
  r.bulk("flags");
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk("redirect");
  r.integer(state === null ? -1 : state.redirect);
  r.bulk("prefixes");
  const prefixes = state === null ? [] : [...state.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  r.array(prefixes.length);
  for (const p of prefixes) r.bulk(p);
}
