/**
 * A small i18n store: the language follows navigator.language (zh* -> 简体中文) until the user
 * picks one with the switch; the choice is kept in localStorage.
 */
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'en' | 'zh-CN';
export const LANGS: { id: Lang; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];
const TABLES: Record<Lang, Messages> = { en, 'zh-CN': zhCN };
const KEY = 'redis-sandbox:lang';

export function detectLang(navLang: string | undefined, saved: string | null): Lang {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navLang && /^zh\b/i.test(navLang) ? 'zh-CN' : 'en';
}

function initial(): Lang {
  let saved: string | null = null;
  try { saved = globalThis.localStorage?.getItem(KEY) ?? null; } catch { /* no storage */ }
  return detectLang(globalThis.navigator?.language, saved);
}

class I18n {
  lang = $state<Lang>(initial());
  get t(): Messages { return TABLES[this.lang]; }
  set(lang: Lang): void {
    this.lang = lang;
    try { globalThis.localStorage?.setItem(KEY, lang); } catch { /* no storage */ }
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  }
}

export const i18n = new I18n();
