// Makes sure the reference redis-server (and redis-benchmark) that the parity suite and the
// benchmark compare against are installed, and Debian's lua5.1 for the Lua conformance suite. As root with apt-get, installs Debian's packages;
// otherwise explains how. Run by `npm test` before the test runner.
import { spawnSync } from "node:child_process";

const has = (bin) => !spawnSync(bin, ["--version"], { stdio: "ignore" }).error;

if (!has(process.env.REDIS_SERVER ?? "redis-server")) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("apt-get")) {
    console.log("ensure-redis: installing Debian's redis-server and redis-tools for the parity suite...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const r = spawnSync("apt-get", ["install", "-y", "-qq", "redis-server", "redis-tools"], {
      stdio: "inherit",
      env,
    });
    if (r.status !== 0 || !has("redis-server")) {
      console.error("ensure-redis: apt-get could not install redis-server");
      process.exit(1);
    }
  } else {
    console.error(
      "ensure-redis: the parity suite needs a real redis-server 7.0.x. Install it with:\n" +
        "  sudo apt-get install -y redis-server redis-tools\n" +
        "or point REDIS_SERVER at a redis-server binary.",
    );
    process.exit(1);
  }
}

// The Lua conformance suite (test/lua) compares the engine's output with Debian's lua5.1.
if (!has("lua5.1")) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("apt-get")) {
    console.log("ensure-redis: installing Debian's lua5.1 for the Lua conformance suite...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["install", "-y", "-qq", "lua5.1"], { stdio: "inherit", env });
  }
  if (!has("lua5.1")) {
    console.error("ensure-redis: the Lua conformance suite needs lua5.1: sudo apt-get install -y lua5.1");
    process.exit(1);
  }
}
