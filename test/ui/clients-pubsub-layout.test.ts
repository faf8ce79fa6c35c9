/** The pub/sub view's layout (src/visualizer/pubsub/layout.ts). */
import { describe, expect, it } from 'vitest';
import { layoutPubsub } from '../../src/visualizer/pubsub/layout';

const label = (id: number, name: string) => name || `Client ${id}`;

describe('layoutPubsub', () => {
  it('publisher -> channel -> subscribers, and channel -> pattern -> subscriber', () => {
    const l = layoutPubsub({
      publisher: { id: 2, name: '' }, channel: 'chat', message: 'hi', shard: false, receivers: 3,
      deliveries: [
        { client: { id: 1, name: 'alice' }, via: 'channel' },
        { client: { id: 3, name: '' }, via: 'pattern', pattern: 'ch*' },
        { client: { id: 1, name: 'alice' }, via: 'pattern', pattern: 'ch*' },
      ],
    }, label);
    expect(l.nodes.map((n) => [n.kind, n.id, n.count])).toEqual([
      ['publisher', 'Client 2', undefined], ['channel', 'chat', undefined], ['pattern', 'ch*', undefined],
      ['subscriber', 'alice', 2], ['subscriber', 'Client 3', 1],
    ]);
    expect(l.edges.map((e) => e.key)).toEqual(['publish', 'channel>alice', 'match:ch*', 'pattern:ch*>Client 3', 'pattern:ch*>alice']);
    expect(l.routes).toEqual([['publish', 'channel>alice'], ['publish', 'match:ch*', 'pattern:ch*>Client 3'], ['publish', 'match:ch*', 'pattern:ch*>alice']]);
    for (const e of l.edges) expect(e.d).toMatch(/^M[\d.]+,[\d.]+C/);
  });

  it('no receivers: publisher and channel only', () => {
    const l = layoutPubsub({ publisher: { id: 1, name: '' }, channel: 'x', message: 'm', shard: false, receivers: 0, deliveries: [] }, label);
    expect(l.nodes.map((n) => n.kind)).toEqual(['publisher', 'channel']);
    expect(l.routes).toEqual([]);
    expect(l.nodes[0].y).toBe(l.nodes[1].y);
  });
});
