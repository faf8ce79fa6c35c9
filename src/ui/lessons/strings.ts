/** The lessons panel's UI strings (English and 简体中文; the language follows the app's i18n). */
import type { Level } from '../../lessons/loader';

export const lessonStringsEn = {
  lessons: 'Lessons',
  showLessons: 'Lessons',
  hideLessons: 'Hide lessons',
  lessonList: 'Lesson list',
  allLessons: '← All lessons',
  run: 'Run',
  runAll: 'Run all',
  running: 'Running…',
  checks: 'Checks',
  level: { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } as Record<Level, string>,
  minutes: (n: number) => `${n} min`,
  progress: (done: number, total: number) => `${done} of ${total} checks done`,
  checkDone: 'done',
  checkTodo: 'not yet',
  checkPassed: (label: string) => `Check passed: ${label}`,
  lessonComplete: (title: string) => `Lesson complete: ${title}`,
  actual: 'now',
  checkError: 'Check error',
  resetProgress: 'Reset progress',
  brokenLessons: 'Some lesson files could not be read',
  engineNotReady: 'The engine is still starting.',
  notTranslated: 'Not yet translated: shown in English.',
  blockLabel: (n: number) => `Commands, block ${n}`,
};
export type LessonStrings = typeof lessonStringsEn;

export const lessonStringsZh: LessonStrings = {
  lessons: '教程',
  showLessons: '教程',
  hideLessons: '隐藏教程',
  lessonList: '教程列表',
  allLessons: '← 全部教程',
  run: '运行',
  runAll: '全部运行',
  running: '运行中…',
  checks: '检查点',
  level: { beginner: '入门', intermediate: '进阶', advanced: '深入' },
  minutes: (n: number) => `${n} 分钟`,
  progress: (done: number, total: number) => `已完成 ${done}/${total} 个检查点`,
  checkDone: '已完成',
  checkTodo: '未完成',
  checkPassed: (label: string) => `检查通过：${label}`,
  lessonComplete: (title: string) => `教程完成：${title}`,
  actual: '当前',
  checkError: '检查出错',
  resetProgress: '重置进度',
  brokenLessons: '部分教程文件无法读取',
  engineNotReady: '引擎仍在启动中。',
  notTranslated: '尚未翻译：以英文显示。',
  blockLabel: (n: number) => `命令，第 ${n} 段`,
};

export function lessonStrings(lang: string): LessonStrings {
  return lang === 'zh-CN' ? lessonStringsZh : lessonStringsEn;
}
