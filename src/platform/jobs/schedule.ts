/**
 * Run `task` after `firstMs`, then every `everyMs`, in this process, without keeping it alive. For upkeep
 * that any number of processes may run at once (each run finds what the last one left). Returns a stop function.
 */
export function repeat(task: () => void, options: { firstMs: number; everyMs: number }): () => void {
  const first = setTimeout(task, options.firstMs);
  const timer = setInterval(task, options.everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
