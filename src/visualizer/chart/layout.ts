/**
 * The complexity chart's math (pure; d3-scale and d3-shape, LayerCake style: D3 computes, Svelte
 * draws): points (n, steps) per command, linear scales with ticks, and O(1), O(log n), O(n)
 * reference curves, each scaled to the data by least squares (steps ≈ c · f(n)). Colours are the
 * Okabe-Ito palette (distinguishable with colour-vision deficiencies) and every series also has its
 * own marker shape, every reference curve its own dash pattern.
 */
import { scaleLinear } from 'd3-scale';
import { line, symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type SymbolType } from 'd3-shape';

export interface ChartPoint { n: number; steps: number; cmd: string }

export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];
const SHAPES: [string, SymbolType][] = [['circle', symbolCircle], ['square', symbolSquare], ['triangle', symbolTriangle], ['diamond', symbolDiamond], ['cross', symbolCross], ['star', symbolStar], ['wye', symbolWye]];

export const REFS = [
  { name: 'O(1)', f: (_n: number) => 1, dash: '2 4', color: '#999999' },
  { name: 'O(log n)', f: (n: number) => Math.log2(n + 1), dash: '8 4', color: '#CC79A7' },
  { name: 'O(n)', f: (n: number) => n, dash: '14 3 2 3', color: '#009E73' },
] as const;

export interface Fit { name: string; c: number; sse: number; d: string; dash: string; color: string; labelX: number; labelY: number }

export interface ChartLayout {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  xTicks: { v: number; x: number }[];
  yTicks: { v: number; y: number }[];
  points: { key: string; x: number; y: number; n: number; steps: number; cmd: string; d: string; color: string }[];
  series: { cmd: string; color: string; shape: string; d: string; count: number }[];
  fits: Fit[];
  /** The reference curve closest to the data (least residual), null without data. */
  best: string | null;
}

/** Least-squares constant c of steps ≈ c · f(n), and the residual sum of squares. */
export function fitCurve(points: readonly ChartPoint[], f: (n: number) => number): { c: number; sse: number } {
  let num = 0, den = 0;
  for (const p of points) { const v = f(p.n); num += p.steps * v; den += v * v; }
  const c = den > 0 ? num / den : 0;
  let sse = 0;
  for (const p of points) { const r = p.steps - c * f(p.n); sse += r * r; }
  return { c, sse };
}

/** At most `max` points, evenly sampled (the last one always kept), so a long series stays light. */
export function samplePoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const step = points.length / max;
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * step)]);
  out[out.length - 1] = points[points.length - 1];
  return out;
}

export function layoutChart(all: readonly ChartPoint[], width = 560, height = 300, maxPoints = 400): ChartLayout {
  const margin = { top: 14, right: 78, bottom: 38, left: 48 };
  const pts = samplePoints(all, maxPoints);
  const maxN = Math.max(1, ...pts.map((p) => p.n));
  const maxS = Math.max(1, ...pts.map((p) => p.steps));
  const x = scaleLinear().domain([0, maxN]).range([margin.left, width - margin.right]).nice();
  const y = scaleLinear().domain([0, maxS * 1.08]).range([height - margin.bottom, margin.top]).nice();
  const cmds: string[] = [];
  for (const p of pts) if (!cmds.includes(p.cmd)) cmds.push(p.cmd);
  const style = (cmd: string) => {
    const i = cmds.indexOf(cmd);
    return { color: OKABE_ITO[i % OKABE_ITO.length], shape: SHAPES[i % SHAPES.length] };
  };
  const seen = new Map<string, number>();
  const points = pts.map((p) => {
    const s = style(p.cmd);
    const k = `${p.cmd}:${p.n}`;
    const c = seen.get(k) ?? 0;
    seen.set(k, c + 1);
    return { key: `${k}:${c}`, x: x(p.n), y: y(p.steps), n: p.n, steps: p.steps, cmd: p.cmd, d: symbol(s.shape[1], 42)() ?? '', color: s.color };
  });
  const series = cmds.map((cmd) => {
    const s = style(cmd);
    return { cmd, color: s.color, shape: s.shape[0], d: symbol(s.shape[1], 60)() ?? '', count: pts.filter((p) => p.cmd === cmd).length };
  });
  const [x0, x1] = x.domain();
  const [, yMax] = y.domain();
  const fits: Fit[] = [];
  if (all.length) {
    for (const r of REFS) {
      const { c, sse } = fitCurve(all, r.f);
      const samples: [number, number][] = [];
      for (let i = 0; i <= 80; i++) {
        const n = x0 + ((x1 - x0) * i) / 80;
        const v = c * r.f(n);
        if (v > yMax) break;
        samples.push([x(n), y(v)]);
      }
      const lastS = samples[samples.length - 1] ?? [x(x0), y(0)];
      fits.push({ name: r.name, c, sse, d: line()(samples) ?? '', dash: r.dash, color: r.color, labelX: lastS[0] + 4, labelY: lastS[1] });
    }
  }
  // Keep the curve labels apart (they meet where the curves end at the right edge).
  const byY = fits.slice().sort((a, b) => a.labelY - b.labelY);
  for (let i = 1; i < byY.length; i++) if (byY[i].labelY - byY[i - 1].labelY < 11) byY[i].labelY = byY[i - 1].labelY + 11;
  let best: string | null = null;
  if (fits.length) best = fits.reduce((a, b) => (b.sse < a.sse - 1e-9 ? b : a)).name;
  return {
    width,
    height,
    margin,
    xTicks: x.ticks(6).map((v) => ({ v, x: x(v) })),
    yTicks: y.ticks(5).map((v) => ({ v, y: y(v) })),
    points,
    series,
    fits,
    best,
  };
}
