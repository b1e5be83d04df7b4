import { describe, expect, it } from 'vitest';
import { jsonLog } from './log.ts';

describe('jsonLog', () => {
  it('writes JSON lines, the lines of one turn of the event loop in one write', async () => {
    const writes: string[] = [];
    const log = jsonLog((text) => writes.push(text));
    log('info', 'one', { n: 1 });
    log('warn', 'two');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      { level: 'info', msg: 'one', n: 1, time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { level: 'warn', msg: 'two' },
    ]);
  });

  it('writes what is buffered on flush, for a process about to exit', () => {
    const writes: string[] = [];
    const log = jsonLog((text) => writes.push(text));
    log('error', 'last words');
    log.flush();
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]!)).toMatchObject({ msg: 'last words' });
    log.flush();
    expect(writes).toHaveLength(1);
  });
});
