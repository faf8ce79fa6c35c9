/**
 * Run a lesson end to end against an engine (Node tests, or any caller holding an Engine): every
 * ```redis block in order, one command at a time, then every check (read-only, evaluate.ts).
 */
import type { Engine } from '../engine/engine';
import type { Reply } from '../engine/types';
import { parseCommandLine } from '../engine/splitargs';
import { evaluateChecks } from './evaluate';
import type { CheckResult } from './checks';
import type { Lesson } from './loader';

export interface LessonRun {
  /** Each command that ran, with its reply. */
  commands: { line: string; reply: Reply }[];
  checks: (CheckResult & { label: string; command: string })[];
}

export function runLesson(engine: Engine, lesson: Lesson, options: { between?: () => void } = {}): LessonRun {
  const commands: LessonRun['commands'] = [];
  for (const block of lesson.blocks) {
    for (const line of block) {
      const argv = parseCommandLine(line);
      const reply: Reply = argv === null ? { t: 'error', v: 'Invalid argument(s)' } : engine.exec(argv).reply;
      commands.push({ line, reply });
      options.between?.();
    }
  }
  const results = evaluateChecks(engine, lesson.checks);
  return { commands, checks: results.map((r, i) => ({ ...r, label: lesson.checks[i].label, command: lesson.checks[i].command })) };
}
