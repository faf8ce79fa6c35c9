/** Every lesson, in both languages: parsed by the real loader (import.meta.glob), run end to end, all checks pass. */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { loadLessons, lessonsFor } from '../../src/lessons/loader';
import { runLesson } from '../../src/lessons/runner';

const lib = loadLessons();

describe('lesson library', () => {
  it('reads every lesson file without errors', () => {
    expect(lib.errors).toEqual([]);
    expect(lib.byLang.en.map((l) => l.id)).toEqual(['first-steps', 'caching', 'sessions', 'leaderboard', 'skiplist', 'quicklist', 'rehash', 'queue', 'sets', 'transactions', 'lock', 'chat', 'event-log', 'persistence']);
  });

  it('has every lesson in 简体中文 too, with the same checks and commands in the same order', () => {
    const zh = lessonsFor(lib, 'zh-CN');
    expect(zh.map((l) => l.id)).toEqual(lib.byLang.en.map((l) => l.id));
    for (const en of lib.byLang.en) {
      const z = lib.byLang['zh-CN'].find((l) => l.id === en.id)!;
      expect(z, en.id).toBeDefined();
      expect(z.language).toBe('zh-CN');
      expect(z.title).not.toBe(en.title);
      expect(z.checks.map((c) => c.key), en.id).toEqual(en.checks.map((c) => c.key));
      expect(z.blocks, en.id).toEqual(en.blocks);
      expect(z.blockClients, en.id).toEqual(en.blockClients);
      expect([z.level, z.minutes, z.order]).toEqual([en.level, en.minutes, en.order]);
      expect(z.checks.every((c) => /[\u4e00-\u9fff]/.test(c.label)), `${en.id}: Chinese labels`).toBe(true);
    }
  });

  for (const lang of ['en', 'zh-CN'] as const) {
    for (const lesson of lib.byLang[lang]) {
      it(`${lang}/${lesson.id}: running every block makes every check pass`, () => {
        const engine = createEngine({ seed: 1, clock: new ManualClock(1_700_000_000_000) });
        // Not every check passes on an empty server (a lesson complete before anything ran teaches nothing).
        const before = runLesson(createEngine({ seed: 1 }), { ...lesson, blocks: [] });
        expect(before.checks.every((c) => c.ok), `${lesson.id}: complete on an empty server`).toBe(false);
        const run = runLesson(engine, lesson);
        expect(run.commands.length).toBeGreaterThan(0);
        for (const c of run.checks) {
          expect({ check: c.command, ok: c.ok, error: c.error }).toEqual({ check: c.command, ok: true, error: undefined });
        }
      });
    }
  }
});
