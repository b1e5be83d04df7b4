/**
 * Calls `stop` with the reason whenever the process is asked to stop: SIGTERM,
 * SIGINT, or, when npm ran it (`npm start`, `npm run serve`), the end of the
 * shell npm ran it in. npm stops a script by signalling that shell, which
 * does not pass the signal on: without this, killing npm left the collector
 * running on its port.
 */
export function onStopRequest(stop: (reason: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  let unwatch = () => {};
  // Ctrl+C reaches npm's shell too, which then ends: that is the same request, not a second one.
  const request = (reason: string) => {
    unwatch();
    stop(reason);
  };
  process.on('SIGTERM', () => request('SIGTERM'));
  process.on('SIGINT', () => request('SIGINT'));
  if (env.npm_lifecycle_event) unwatch = watchParent(process.ppid, () => stop(`npm run ${env.npm_lifecycle_event} was stopped`));
}

/** Calls `gone` once the process `pid` has ended, checking every second; the check never keeps the process alive. */
function watchParent(pid: number, gone: () => void, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    if (isRunning(pid)) return;
    clearInterval(timer);
    gone();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
