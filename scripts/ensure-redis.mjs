// Makes sure the reference redis-server (and redis-benchmark) that the parity suite and the
// benchmark compare against are installed, memcached for the cache backend tests and Debian's
// lua5.1 for the Lua conformance suite. As root with apt-get, installs Debian's packages;
// otherwise explains how. Run by `npm test` before the test runner.
import { spawnSync } from "node:child_process";

const has = (bin) => !spawnSync(bin, ["--version"], { stdio: "ignore" }).error;

const hasMemcached = () =>
  !spawnSync(process.env.MEMCACHED ?? "memcached", ["-V"], { stdio: "ignore" }).error;

if (!has(process.env.REDIS_SERVER ?? "redis-server") || !hasMemcached()) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("apt-get")) {
    console.log("ensure-redis: installing Debian's redis-server, redis-tools and memcached for the tests...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const r = spawnSync("apt-get", ["install", "-y", "-qq", "redis-server", "redis-tools", "memcached"], {
      stdio: "inherit",
      env,
    });
    if (r.status !== 0 || !has("redis-server") || !hasMemcached()) {
      console.error("ensure-redis: apt-get could not install redis-server and memcached");
      process.exit(1);
    }
  } else {
    console.error(
      "ensure-redis: the parity suite needs a real redis-server 7.0.x, the cache backend tests memcached. Install them with:\n" +
        "  sudo apt-get install -y redis-server redis-tools memcached\n" +
        "or point REDIS_SERVER / MEMCACHED at the binaries.",
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
