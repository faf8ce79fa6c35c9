/** Narration of skiplist frames (walk, update[], coins, rank from spans), in the UI's language. */
import type { Frame } from '../frames';
import type { VisMessages } from '../narration/en';
import { display } from '../text';
import { HEADER, type ZslScene } from './model';

const name = (m: VisMessages['zsl'], node: string) => (node === HEADER ? m.header : `"${display(node)}"`);

/** One sentence for a skiplist frame (null for other frames: the generic narration applies). */
export function narrateZsl(msg: VisMessages, frame: Frame | undefined, s: ZslScene | null): string | null {
  if (!frame || !s) return null;
  const m = msg.zsl;
  const ev = frame.events[0];
  const rankSum = s.rankTerms.reduce((a, b) => a + b, 0);
  switch (ev.k) {
    case 'zsl.compare':
      return ev.goRight ? m.say.compareRight({ node: display(ev.node), level: ev.level }) : m.say.compareStop({ node: display(ev.node), level: ev.level });
    case 'zsl.visit':
      return m.say.visit({ node: display(ev.node), level: ev.level, ...(s.rankTerms.length ? { rank: rankSum } : {}) });
    case 'zsl.update': {
      const down = frame.events.find((e) => e.k === 'zsl.down');
      const rank = frame.events.find((e) => e.k === 'zsl.rank');
      if (rank && rank.k === 'zsl.rank') return m.say.rank({ node: display(rank.node), rank: rank.rank });
      return m.say.update({ node: name(m, ev.node), level: ev.level, rank: ev.rank, ...(down && down.k === 'zsl.down' ? { down: down.level } : {}) });
    }
    case 'zsl.down':
      return m.say.down({ node: name(m, ev.node), level: ev.level });
    case 'zsl.coin':
      return ev.heads ? m.say.coinHeads({ n: s.coins.length, level: ev.level }) : m.say.coinTails({ n: s.coins.length, level: ev.level });
    case 'zsl.create':
      return m.say.create({ node: display(ev.node), score: ev.score, level: ev.level, forced: s.forced !== null && s.coins.length === 0 ? 1 : 0 });
    case 'zsl.span':
      return m.say.span({ node: name(m, ev.node), level: ev.level, span: ev.span });
    case 'zsl.delete':
      return m.say.del({ node: display(ev.node) });
    case 'zsl.rank':
      return m.say.rank({ node: display(ev.node), rank: ev.rank });
    default:
      return null;
  }
}
