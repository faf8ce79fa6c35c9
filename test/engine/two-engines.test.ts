import { describe, it, expect } from 'vitest';
import { createEngine } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';

describe('several engines in one process', () => {
  it('keep their keys when created with different seeds', () => {
    const a = createEngine({ seed: 1 });
    for (let i = 0; i < 100; i++) a.exec(['SET', `k${i}`, `${i}`]);
    const b = createEngine({ seed: 2 });
    b.exec(['SET', 'x', 'y']);
    for (let i = 0; i < 100; i++) expect(encodeReply(a.exec(['GET', `k${i}`]).reply, 2)).toBe(`$${String(i).length}\r\n${i}\r\n`);
    expect(encodeReply(b.exec(['GET', 'x']).reply, 2)).toBe('$1\r\ny\r\n');
  });
});
