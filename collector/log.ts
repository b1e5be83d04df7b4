/** Writes one structured line. Never pass an IP address or a user id. */
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** A log whose buffered lines can be written out at once, before the process exits. */
export type FlushableLog = Log & { flush(): void };

/**
 * JSON lines on a stream (stdout by default). Lines logged in one turn of the
 * event loop go out in one write: a line per request must not cost a system
 * call per request.
 */
export function jsonLog(write: (text: string) => void = (text) => process.stdout.write(text)): FlushableLog {
  let buffer = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    write(text);
  };
  const log: Log = (level, msg, fields) => {
    buffer += `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
    if (buffer.length > 64 * 1024) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return Object.assign(log, { flush });
}

/** A log that drops everything, for tests. */
export const silentLog: Log = () => {};
