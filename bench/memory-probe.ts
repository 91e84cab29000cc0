/**
 * Loaded into the service by bench/memory.ts (`node --expose-gc -r memory-probe.js`): answers a
 * "memory" message on the IPC channel with the process's memory after a full garbage collection,
 * so the benchmark reads the heap the service holds, not garbage not yet collected.
 */
process.on("message", (message) => {
  if (message !== "memory") return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.(process.memoryUsage());
});
