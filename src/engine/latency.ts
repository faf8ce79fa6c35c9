/**
 * The latency monitor and the per-command latency histograms (as src/latency.c and the
 * LATENCY HISTOGRAM part of src/server.c in Redis 7.0): LATENCY LATEST | HISTORY | RESET | GRAPH |
 * DOCTOR | HISTOGRAM | HELP.
 *
 * With latency-monitor-threshold > 0, a command that runs for at least that many milliseconds adds
 * a sample to the "command" (or "fast-command") event: one sample per second (the worst), the last
 * 160 kept. engine.call() reports every command's duration (latencyCommandDone): this engine's, at
 * the engine clock's millisecond resolution (see Engine.call). LATENCY GRAPH draws a simple bar chart and
 * LATENCY DOCTOR summarizes the events (Redis's exact ASCII art and advice texts are not reproduced);
 * with no events both reply exactly as Redis does.
 */
import type { Client } from './client';
import type { Command, CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import { everyCommand } from './info';

const LATENCY_TS_LEN = 160;

interface LatencySample { time: number; latency: number }
interface LatencyTimeSeries { idx: number; max: number; samples: LatencySample[] }

interface LatencyState {
  /** Events in creation order. */
  events: Map<string, LatencyTimeSeries>;
}

const states = new WeakMap<Engine, LatencyState>();

function state(e: Engine): LatencyState {
  let s = states.get(e);
  if (!s) { s = { events: new Map() }; states.set(e, s); }
  return s;
}

/** latencyAddSample: the worst latency per second of an event, in a ring of 160 samples. */
function latencyAddSample(e: Engine, event: string, latency: number): void {
  const s = state(e);
  let ts = s.events.get(event);
  const now = Math.floor(e.clock.now() / 1000);
  if (!ts) {
    ts = { idx: 0, max: 0, samples: Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 })) };
    s.events.set(event, ts);
  }
  if (latency > ts.max) ts.max = latency;
  const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
  if (ts.samples[prev].time === now) {
    if (latency > ts.samples[prev].latency) ts.samples[prev].latency = latency;
    return;
  }
  ts.samples[ts.idx].time = now;
  ts.samples[ts.idx].latency = latency;
  ts.idx++;
  if (ts.idx === LATENCY_TS_LEN) ts.idx = 0;
}

// ---------------------------------------------------------------------------- command histograms

/*
 * Redis keeps an HDR histogram of nanoseconds per command (values clamped to 1024 ns .. 1 s) and
 * LATENCY HISTOGRAM walks it in log steps of 1024 ns doubling: step k covers the values up to
 * 1032 * 2^k - 1 ns (the highest value equivalent to 1024 * 2^k at two significant digits), and is
 * printed as that value in microseconds (integer division).
 */
const HIST_STEPS = 21; // 1024 ns * 2^20 > 1 s

function histStepLimit(k: number): number {
  return 1032 * 2 ** k - 1;
}

/**
 * engine.call(): a command finished after `durationUs` microseconds. Adds a latency sample when the
 * monitor is on and updates the command's histogram (a command whose histogram CONFIG RESETSTAT
 * dropped, `cmd.latency` false, starts a new one).
 */
export function latencyCommandDone(e: Engine, cmd: Command, durationUs: number): void {
  const threshold = e.config.latencyMonitorThreshold;
  if (threshold && durationUs >= threshold * 1000) latencyAddSample(e, cmd.flags.has('fast') ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
  let h = cmd.latencyHist;
  if (h === undefined || !cmd.latency) { h = new Array(HIST_STEPS).fill(0); cmd.latencyHist = h; }
  if (durationUs < 1) { h[0]++; return; } // (values below 1024 ns count in the first step)
  let ns = durationUs * 1000;
  if (ns > 1000000000) ns = 1000000000;
  let k = 0;
  while (k < HIST_STEPS - 1 && ns > histStepLimit(k)) k++;
  h[k]++;
}

/** The "calls" / "histogram_usec" map of one command (fillCommandCDF). */
function commandCDF(cmd: Command, h: number[]): Reply[] {
  const buckets: Reply[] = [];
  let cumulative = 0;
  let previous = 0;
  for (let k = 0; k < HIST_STEPS; k++) {
    cumulative += h[k];
    if (cumulative > previous) {
      buckets.push(R.int(Math.floor(histStepLimit(k) / 1000)), R.int(cumulative));
      previous = cumulative;
    }
  }
  return [R.bulk(cmd.fullname), R.map([R.bulk('calls'), R.int(cumulative), R.bulk('histogram_usec'), R.map(buckets)])];
}

function histogramOf(cmd: Command): number[] | null {
  if (!cmd.latency) return null;
  return cmd.latencyHist ?? null;
}

/** LATENCY HISTOGRAM [command ...]: every command with a histogram, or the ones named (with their subcommands). */
function latencyHistogramCommand(c: Client, argv: string[]): Reply {
  const out: Reply[] = [];
  const add = (cmd: Command) => {
    const h = histogramOf(cmd);
    if (h) out.push(...commandCDF(cmd, h));
  };
  if (argv.length === 2) {
    for (const cmd of everyCommand(c.engine)) add(cmd);
  } else {
    for (let j = 2; j < argv.length; j++) {
      const [name, sub] = argv[j].toLowerCase().split('|');
      const base = c.engine.commands.commands.get(name);
      if (!base) continue;
      const cmd = sub === undefined ? base : base.subcommands?.get(sub);
      if (!cmd) continue;
      if (cmd.subcommands) for (const s of cmd.subcommands.values()) add(s);
      else add(cmd);
    }
  }
  return R.map(out);
}

// ---------------------------------------------------------------------------- LATENCY subcommands

function latencyLatestCommand(c: Client): Reply {
  const out: Reply[] = [];
  for (const [event, ts] of state(c.engine).events) {
    const last = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    out.push(R.array([R.bulk(event), R.int(ts.samples[last].time), R.int(ts.samples[last].latency), R.int(ts.max)]));
  }
  return R.array(out);
}

function latencyHistoryCommand(c: Client, argv: string[]): Reply {
  const ts = state(c.engine).events.get(argv[2]);
  if (!ts) return R.EMPTY_ARRAY;
  const out: Reply[] = [];
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const i = (ts.idx + j) % LATENCY_TS_LEN;
    if (ts.samples[i].time === 0) continue;
    out.push(R.array([R.int(ts.samples[i].time), R.int(ts.samples[i].latency)]));
  }
  return R.array(out);
}

/** LATENCY RESET [event ...]: how many events were reset (all of them without arguments). */
function latencyResetCommand(c: Client, argv: string[]): Reply {
  const events = state(c.engine).events;
  if (argv.length === 2) {
    const n = events.size;
    events.clear();
    return R.int(n);
  }
  let resets = 0;
  for (let j = 2; j < argv.length; j++) if (events.delete(argv[j])) resets++;
  return R.int(resets);
}

/** LATENCY GRAPH event: the samples as a bar chart (Redis draws a sparkline; not reproduced). */
function latencyGraphCommand(c: Client, argv: string[]): Reply {
  const event = argv[2];
  const ts = state(c.engine).events.get(event);
  if (!ts) return R.error(`ERR No samples available for event '${event}'`);
  const now = Math.floor(c.engine.clock.now() / 1000);
  let min = Infinity;
  for (const s of ts.samples) if (s.time && s.latency < min) min = s.latency;
  let text = `${event} - high ${ts.max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
  text += '-'.repeat(80) + '\n';
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN];
    if (!s.time) continue;
    const bar = ts.max ? Math.max(1, Math.round((s.latency / ts.max) * 40)) : 1;
    text += `${String(now - s.time).padStart(6)}s ago ${'#'.repeat(bar)} ${s.latency} ms\n`;
  }
  return R.verbatim(text);
}

/** LATENCY DOCTOR: a report of the events. */
function latencyDoctorCommand(c: Client): Reply {
  const e = c.engine;
  const events = state(e).events;
  if (events.size === 0 && e.config.latencyMonitorThreshold === 0) {
    return R.verbatim("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n");
  }
  if (events.size === 0) {
    return R.verbatim('Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n');
  }
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let n = 1;
  for (const [event, ts] of events) {
    let count = 0, sum = 0;
    for (const s of ts.samples) if (s.time) { count++; sum += s.latency; }
    const avg = count ? Math.floor(sum / count) : 0;
    report += `${n++}. ${event}: ${count} latency spikes (average ${avg}ms). Worst all time event ${ts.max}ms.\n`;
  }
  return R.verbatim(report + '\n');
}

const LATENCY_HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
];

export const latencyCommands: CommandDef[] = [
  { name: 'latency|latest', proc: latencyLatestCommand, complexity: 'O(1)' },
  { name: 'latency|history', proc: latencyHistoryCommand, complexity: 'O(1)' },
  { name: 'latency|reset', proc: latencyResetCommand, complexity: 'O(1)' },
  { name: 'latency|graph', proc: latencyGraphCommand, complexity: 'O(1)' },
  { name: 'latency|doctor', proc: latencyDoctorCommand, complexity: 'O(1)' },
  { name: 'latency|histogram', proc: latencyHistogramCommand, complexity: 'O(N)' },
  { name: 'latency|help', proc: () => R.array(LATENCY_HELP.map((l) => R.status(l))), complexity: 'O(1)' },
];
