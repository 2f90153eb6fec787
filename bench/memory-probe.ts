/**
 * Preloaded into a standalone reddish-server by the benchmark
 * (`node --expose-gc --import memory-probe.js main.js ...`): on the IPC message "memory" it runs a
 * full garbage collection and sends back process.memoryUsage(). Does nothing without an IPC channel.
 */
const gc = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  process.on("message", (message) => {
    if (message !== "memory") return;
    gc?.();
    gc?.();
    process.send!({ ...process.memoryUsage(), gcForced: gc !== undefined });
  });
}
