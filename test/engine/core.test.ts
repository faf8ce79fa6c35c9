import { describe, it, expect } from 'vitest';
import { createEngine } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';

const resp = (e: ReturnType<typeof createEngine>, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);

describe('dispatch', () => {
  it('rejects unknown commands with the args text and trailing space', () => {
    const e = createEngine();
    expect(resp(e, 'FOO', 'a', 'b')).toBe("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
  });
  it('enforces arity with the lower-case name', () => {
    const e = createEngine();
    expect(resp(e, 'GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
  });
  it('sets and gets', () => {
    const e = createEngine();
    expect(resp(e, 'SET', 'k', 'v')).toBe('+OK\r\n');
    expect(resp(e, 'GET', 'k')).toBe('$1\r\nv\r\n');
    expect(e.exec(['GET', 'k']).steps).toBeGreaterThan(0);
  });
});
