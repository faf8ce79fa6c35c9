/**
 * Layout of one PUBLISH (pure; PubsubView draws what this returns): the publisher on the left, the
 * channel and the patterns that matched it in the middle, the receiving clients on the right.
 * Edges: publisher -> channel, channel -> subscriber (SUBSCRIBE), channel -> pattern -> subscriber
 * (PSUBSCRIBE). Each delivery is a route along those edges, for the animated message.
 */
import { scalePoint } from 'd3-scale';
import { linkHorizontal } from 'd3-shape';
import type { PublishDelivery } from '../../worker/api';

export const PS = { width: 520, colX: [70, 260, 450], nodeW: 112, nodeH: 30, rowH: 48, top: 34, pad: 16 };

export interface PsNode {
  /** data-id: the channel, the pattern, or the client's label. */
  id: string;
  kind: 'publisher' | 'channel' | 'pattern' | 'subscriber';
  label: string;
  x: number;
  y: number;
  /** Messages this subscriber received (a client matching twice gets two). */
  count?: number;
}

export interface PsEdge { key: string; from: string; to: string; d: string; kind: 'publish' | 'channel' | 'match' | 'pattern' }

export interface PsLayout {
  width: number;
  height: number;
  nodes: PsNode[];
  edges: PsEdge[];
  /** One route (edge keys, in order) per delivered message. */
  routes: string[][];
}

/** `labelOf(id, name)`: how the page names a client ("Client 2", or its CLIENT SETNAME name). */
export function layoutPubsub(d: PublishDelivery, labelOf: (id: number, name: string) => string): PsLayout {
  const pubLabel = labelOf(d.publisher.id, d.publisher.name);
  const patterns: string[] = [];
  const subs: { key: number; label: string; count: number }[] = [];
  for (const x of d.deliveries) {
    if (x.via === 'pattern' && x.pattern !== undefined && !patterns.includes(x.pattern)) patterns.push(x.pattern);
    const s = subs.find((y) => y.key === x.client.id);
    if (s) s.count++;
    else subs.push({ key: x.client.id, label: labelOf(x.client.id, x.client.name), count: 1 });
  }
  const mid = [d.channel, ...patterns];
  const rows = Math.max(1, mid.length, subs.length);
  const height = PS.top + rows * PS.rowH + PS.pad;
  const yOf = (n: number) => scalePoint<number>().domain(Array.from({ length: n }, (_, i) => i)).range([PS.top + PS.rowH / 2, PS.top + PS.rowH / 2 + (rows - 1) * PS.rowH]).align(0.5).padding(n === 1 ? 0.5 : 0);
  const yMid = yOf(mid.length);
  const ySub = yOf(subs.length);
  const yPub = rows === 1 ? PS.top + PS.rowH / 2 : PS.top + PS.rowH / 2 + ((rows - 1) * PS.rowH) / 2;
  const nodes: PsNode[] = [
    { id: pubLabel, kind: 'publisher', label: pubLabel, x: PS.colX[0], y: yPub },
    ...mid.map((m, i): PsNode => ({ id: m, kind: i === 0 ? 'channel' : 'pattern', label: m, x: PS.colX[1], y: rows === 1 ? yPub : yMid(i)! })),
    ...subs.map((s, i): PsNode => ({ id: s.label, kind: 'subscriber', label: s.label, x: PS.colX[2], y: rows === 1 ? yPub : ySub(i)!, count: s.count })),
  ];
  const byKind = (kind: PsNode['kind'], id: string) => nodes.find((n) => n.kind === kind && n.id === id)!;
  const link = linkHorizontal<unknown, [number, number]>().source((v: any) => v[0]).target((v: any) => v[1]);
  const half = PS.nodeW / 2;
  const edges: PsEdge[] = [];
  const edge = (key: string, a: PsNode, b: PsNode, kind: PsEdge['kind']): string => {
    if (!edges.some((e) => e.key === key)) {
      let d: string;
      if (kind === 'match') {
        // channel -> pattern, both in the middle column: a bracket on the right side.
        const x = a.x + half;
        d = `M${x},${a.y}C${x + 26},${a.y} ${x + 26},${b.y} ${x},${b.y}`;
      } else {
        d = link([[a.x + half, a.y], [b.x - half, b.y]] as never) ?? '';
      }
      edges.push({ key, from: a.id, to: b.id, d, kind });
    }
    return key;
  };
  const pub = nodes[0];
  const chan = nodes[1];
  const first = edge('publish', pub, chan, 'publish');
  const routes: string[][] = [];
  for (const x of d.deliveries) {
    const sub = byKind('subscriber', labelOf(x.client.id, x.client.name));
    if (x.via === 'pattern' && x.pattern !== undefined) {
      const pat = byKind('pattern', x.pattern);
      routes.push([first, edge(`match:${x.pattern}`, chan, pat, 'match'), edge(`pattern:${x.pattern}>${sub.id}`, pat, sub, 'pattern')]);
    } else {
      routes.push([first, edge(`channel>${sub.id}`, chan, sub, 'channel')]);
    }
  }
  return { width: PS.width, height, nodes, edges, routes };
}
