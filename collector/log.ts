/** Writes one structured line. Never pass an IP address or a user id. */
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** JSON lines on a stream (stdout by default). */
export function jsonLog(write: (line: string) => void = (line) => process.stdout.write(line)): Log {
  return (level, msg, fields) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

/** A log that drops everything, for tests. */
export const silentLog: Log = () => {};
