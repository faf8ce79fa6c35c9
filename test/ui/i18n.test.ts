import { describe, expect, it } from 'vitest';
import { en } from '../../src/ui/i18n/en';
import { zhCN } from '../../src/ui/i18n/zh-CN';
import { promptFor } from '../../src/ui/console-types';

describe('i18n tables', () => {
  it('zh-CN has every key of en', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(en.commandLabel).toBe('Redis command');
    expect(en.steps(1)).toBe('1 step');
    expect(en.steps(3)).toBe('3 steps');
  });
});

describe('promptFor (redis-cli prompt)', () => {
  it.each([
    [0, false, '127.0.0.1:6379>'],
    [2, false, '127.0.0.1:6379[2]>'],
    [0, true, '127.0.0.1:6379(TX)>'],
    [15, true, '127.0.0.1:6379[15](TX)>'],
  ])('db %i multi %s', (db, multi, expected) => {
    expect(promptFor(db, multi)).toBe(expected);
  });
});
