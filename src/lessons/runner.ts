/**
 * Run a lesson end to end against an engine (Node tests, or any caller holding an Engine): every
 * ```redis block in order, one command at a time, then every check (read-only, evaluate.ts).
 * A block marked ```redis client=N runs on client N: 1 is the engine's default client (the student's
 * console), others are created with engine.createClient() on first use and kept for the whole run
 * (their subscriptions, WATCHes and MULTI state carry over between their blocks). Checks read the
 * default client's database.
 */
import type { Client } from '../engine/client';
import type { Engine } from '../engine/engine';
import type { Reply } from '../engine/types';
import { parseCommandLine } from '../engine/splitargs';
import { evaluateChecks } from './evaluate';
import type { CheckResult } from './checks';
import type { Lesson } from './loader';

export interface LessonRun {
  /** Each command that ran, with its reply. */
  commands: { line: string; reply: Reply; client: number }[];
  checks: (CheckResult & { label: string; command: string })[];
}

export function runLesson(engine: Engine, lesson: Lesson, options: { between?: () => void } = {}): LessonRun {
  const commands: LessonRun['commands'] = [];
  const clients = new Map<number, Client>([[1, engine.defaultClient]]);
  const clientFor = (n: number): Client => {
    let c = clients.get(n);
    if (!c) { c = engine.createClient(); clients.set(n, c); }
    return c;
  };
  for (const [b, block] of lesson.blocks.entries()) {
    const client = lesson.blockClients?.[b] ?? 1;
    const c = clientFor(client);
    for (const line of block) {
      const argv = parseCommandLine(line);
      const reply: Reply = argv === null ? { t: 'error', v: 'Invalid argument(s)' } : engine.execFor(c, argv).reply;
      commands.push({ line, reply, client });
      options.between?.();
    }
  }
  const results = evaluateChecks(engine, lesson.checks);
  return { commands, checks: results.map((r, i) => ({ ...r, label: lesson.checks[i].label, command: lesson.checks[i].command })) };
}
