/**
 * Fuzzing the loaders with fast-check: random bytes, truncations and bit flips of a valid RDB file
 * either load or throw a typed error (RdbError / AofError), never anything else; the LZF codec
 * round trips any input.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../../src/engine';
import { rdbSave, rdbParse, RdbError } from '../../src/engine/persistence/rdb';
import { aofLoad, aofRewrite, AofError } from '../../src/engine/persistence/aof';
import { lzfCompress, lzfDecompress, LzfError } from '../../src/engine/persistence/lzf';
import { datasetCommands, runOnEngine } from './persistence-redis';

const engine = createEngine();
runOnEngine(engine, datasetCommands());
const valid = rdbSave(engine);
const validUncompressed = rdbSave(engine, { compress: false });
const aof = aofRewrite(engine);

function loadsOrRdbError(bytes: Uint8Array): void {
  const e = createEngine();
  try {
    rdbParse(e, bytes);
  } catch (err) {
    if (!(err instanceof RdbError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.offset).toBeGreaterThanOrEqual(0);
  }
}

describe('RDB loader fuzz', () => {
  it('random bytes (with and without a valid header)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (b, header) => {
      const bytes = header ? Uint8Array.from([...valid.subarray(0, 9), ...b]) : b;
      loadsOrRdbError(bytes);
    }), { numRuns: 2000 });
  });

  it('every truncation of a valid file throws a short-read error', () => {
    for (const file of [valid, validUncompressed]) {
      const step = Math.max(1, Math.floor(file.length / 300));
      for (let n = 0; n < file.length; n += step) {
        expect(() => rdbParse(createEngine(), file.subarray(0, n))).toThrow(RdbError);
      }
    }
  });

  it('bit flips of a valid file: loads or throws RdbError (CRC off, to reach the value parsers)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), fc.boolean(), (flips, uncompressed) => {
      const b = (uncompressed ? validUncompressed : valid).slice();
      for (const [pos, bit] of flips) b[9 + (pos % (b.length - 9))] ^= 1 << bit;
      const e = createEngine();
      try { rdbParse(e, b, { verifyChecksum: false }); } catch (err) { if (!(err instanceof RdbError)) throw err; }
      // With the checksum on, a flip is always caught (by a parser or the CRC).
      expect(() => rdbParse(createEngine(), b)).toThrow(RdbError);
    }), { numRuns: 600 });
  });
});

describe('AOF loader fuzz', () => {
  it('truncations keep a valid prefix; random bytes load or throw AofError', () => {
    fc.assert(fc.property(fc.nat({ max: aof.length }), (n) => {
      const e = createEngine();
      const r = aofLoad(e, aof.slice(0, n));
      expect(r.validBytes).toBeLessThanOrEqual(n);
      expect(r.validBytes + r.truncatedBytes).toBe(n);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      try { aofLoad(createEngine(), s); } catch (err) { if (!(err instanceof AofError)) throw err; }
    }), { numRuns: 1000 });
  });
});

describe('LZF', () => {
  it('compress/decompress round trips any input; garbage decompresses or throws LzfError', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 3000, unit: fc.constantFrom('a', 'b', 'c', 'abc', 'xyz') }).map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)))), (b) => {
      const c = lzfCompress(b);
      if (c) expect(lzfDecompress(c, b.length)).toEqual(b);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat({ max: 300 }), (b, n) => {
      try { lzfDecompress(b, n); } catch (err) { if (!(err instanceof LzfError)) throw err; }
    }), { numRuns: 1000 });
  });
});
