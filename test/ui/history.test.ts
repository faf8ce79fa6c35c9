import { describe, expect, it } from 'vitest';
import { History, HISTORY_KEY } from '../../src/ui/history';

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('History', () => {
  it('walks back and forth and restores the draft', () => {
    const h = new History(null);
    h.add('SET a 1');
    h.add('GET a');
    expect(h.prev('draft')).toBe('GET a');
    expect(h.prev('')).toBe('SET a 1');
    expect(h.prev('')).toBeNull();
    expect(h.next()).toBe('GET a');
    expect(h.next()).toBe('draft');
    expect(h.next()).toBeNull();
  });
  it('skips blank lines and consecutive duplicates, keeps at most max', () => {
    const h = new History(null, 3);
    for (const l of ['a', 'a', ' ', 'b', 'c', 'd']) h.add(l);
    expect(h.entries).toEqual(['b', 'c', 'd']);
  });
  it('persists across instances (a reload)', () => {
    const s = memoryStorage();
    new History(s).add('PING');
    expect(JSON.parse(s.data.get(HISTORY_KEY) ?? '[]')).toEqual(['PING']);
    expect(new History(s).prev('')).toBe('PING');
  });
  it('ignores corrupt storage', () => {
    const s = memoryStorage();
    s.setItem(HISTORY_KEY, '{not json');
    expect(new History(s).entries).toEqual([]);
  });
});
