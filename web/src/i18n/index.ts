/**
 * i18next with the two resource files; zh-CN is the default, English is one tap away. The choice
 * is remembered in localStorage and can be forced with `?lang=en` (links, screenshots, tests).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'pitlane.lang';

export const resources = { 'zh-CN': { translation: zhCN }, en: { translation: en } } as const;

function asLanguage(v: string | null | undefined): Language | null {
  if (!v) return null;
  if (v === 'en' || v.toLowerCase().startsWith('en')) return 'en';
  if (v.toLowerCase().startsWith('zh')) return 'zh-CN';
  return null;
}

export function initialLanguage(): Language {
  try {
    const fromUrl = asLanguage(new URLSearchParams(globalThis.location?.search ?? '').get('lang'));
    if (fromUrl) {
      globalThis.localStorage?.setItem(STORAGE_KEY, fromUrl);
      return fromUrl;
    }
    return asLanguage(globalThis.localStorage?.getItem(STORAGE_KEY)) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switches
  }
  await i18n.changeLanguage(lang);
  if (globalThis.document) document.documentElement.lang = lang;
}

export function currentLanguage(): Language {
  return asLanguage(i18n.language) ?? 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export default i18n;
