/**
 * Replays the golden transcripts (golden/*.json, recorded from redis-server 7.0.15 by record.ts) on
 * the engine and compares every reply byte for byte (typeOnly steps: the RESP type byte only).
 * One test per case, named "file: case". The summary (commands compared / failed, by file) is
 * printed at the end.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES_DIR, GOLDEN_DIR, listGoldenFiles, loadGolden, isSleep, type GoldenCommand } from './lib/golden';
import { parseCaseFile } from './lib/cases';
import { runCase, formatMismatches } from './lib/engine-runner';

const files = listGoldenFiles();
const summary = new Map<string, { compared: number; failed: number; cases: number; failedCases: number }>();

/** A golden file whose case file changed since recording: warn (the lead re-records). */
function staleWarning(file: string, golden: ReturnType<typeof loadGolden>): string | null {
  const path = join(CASES_DIR, golden.file);
  if (!existsSync(path)) return `${file}: no cases/${golden.file} any more`;
  try {
    const cases = parseCaseFile(readFileSync(path, 'utf8'), golden.file);
    const at = (conn: number | undefined) => (conn === undefined ? '' : `@${conn} `);
    const now = cases.map((c) => c.name + '\n' + c.steps.map((s) => (s.kind === 'sleep' ? `!${s.ms}` : at(s.conn) + s.line)).join('\n')).join('\n\n');
    const then = golden.cases.map((c) => c.name + '\n' + c.steps.map((s) => (isSleep(s) ? `!${s.sleep}` : at((s as GoldenCommand).conn) + (s as GoldenCommand).line)).join('\n')).join('\n\n');
    return now === then ? null : `${file} is stale: cases/${golden.file} changed since it was recorded (npm run record-golden -- ${golden.file})`;
  } catch (e) {
    return `cases/${golden.file}: ${e instanceof Error ? e.message : e}`;
  }
}

if (files.length === 0) {
  describe('conformance replay', () => {
    it.skip(`no golden transcripts in ${GOLDEN_DIR} (npm run record-golden)`, () => {});
  });
}

for (const file of files) {
  const golden = loadGolden(join(GOLDEN_DIR, file));
  const stale = staleWarning(file, golden);
  if (stale) console.warn(`conformance: ${stale}`);
  const s = { compared: 0, failed: 0, cases: golden.cases.length, failedCases: 0 };
  summary.set(golden.file, s);
  describe(golden.file, () => {
    for (const gc of golden.cases) {
      it(`${golden.file}: ${gc.name}`, () => {
        const r = runCase(gc);
        s.compared += r.compared;
        s.failed += r.mismatches.length;
        if (r.mismatches.length) s.failedCases++;
        if (r.mismatches.length) expect.fail(formatMismatches(`${golden.file}: ${gc.name}`, r));
      });
    }
  });
}

afterAll(() => {
  let compared = 0, failed = 0;
  const rows: string[] = [];
  for (const [file, s] of summary) {
    compared += s.compared;
    failed += s.failed;
    rows.push(`  ${file.padEnd(24)} ${String(s.compared).padStart(6)} compared ${String(s.failed).padStart(6)} failed   (${s.failedCases}/${s.cases} cases fail)`);
  }
  console.log(`conformance replay: ${compared} commands compared with Redis 7.0.15, ${failed} differ\n${rows.join('\n')}`);
});
