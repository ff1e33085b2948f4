// Which interface language the person reads: chosen from the browser's languages on a first visit,
// then the one they picked (kept in this browser, and on their account once signed in). Arabic is
// written right to left: the whole page's `dir` follows the language, while each message block
// keeps `dir="auto"` so mixed Arabic/Latin text still reads right.
export type Lang = "en" | "fr" | "ar";

export const LANGS: readonly Lang[] = ["ar", "fr", "en"];

/** Each language's name in its own words: what a person looks for in a language menu. */
export const LANG_NAMES: Record<Lang, string> = { ar: "العربية", fr: "Français", en: "English" };

const STORAGE_KEY = "hadra.lang";

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "fr" || value === "ar";
}

/** The first of the browser's languages hadra speaks ("ar-DZ" → ar, "fr-FR" → fr), else English. */
export function browserLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): Lang {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split("-")[0];
    if (isLang(primary)) return primary;
  }
  return "en";
}

/** The language picked earlier in this browser, or null on a first visit. */
export function storedLanguage(): Lang | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null; // storage blocked (private mode, policy): the browser's languages decide
  }
}

export function storeLanguage(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered in this browser; the account still keeps it
  }
}

export function direction(lang: Lang): "rtl" | "ltr" {
  return lang === "ar" ? "rtl" : "ltr";
}

/** The locale for Intl (dates, numbers, plurals). Arabic as written in Algeria: Latin digits. */
export function intlLocale(lang: Lang): string {
  return lang === "ar" ? "ar-DZ" : lang;
}
