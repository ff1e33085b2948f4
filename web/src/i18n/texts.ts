// The interface's words, per area of the app (chat, errors, settings, admin…): each area is a table
// whose English version ships with the code that uses it and whose French and Arabic versions are
// separate chunks, fetched only when that language is chosen. A table is a typed object (strings,
// and functions for sentences built from numbers or names), so a language missing a key does not
// compile. The platform's Intl does plurals, dates and numbers; no i18n library is needed on top
// (i18next + react-i18next would add ~20 kB gzip to the first load for what these 100 lines do).
import { useEffect, useState, useSyncExternalStore } from "react";
import { direction, intlLocale, isLang, storeLanguage, type Lang } from "./language";

type Loader<T> = () => Promise<T>;

/** One area's table in every language: `current()` is the active language's (English until loaded). */
export interface Texts<T> {
  current(): T;
  has(lang: Lang): boolean;
  load(lang: Lang): Promise<void>;
}

const areas: Texts<unknown>[] = [];
let active: Lang = "en";
const listeners = new Set<() => void>();

/** Declare an area: its English table and how to fetch the others (a dynamic `import()`). */
export function texts<T>(en: T, others: Record<Exclude<Lang, "en">, Loader<T>>): Texts<T> {
  const loaded = new Map<Lang, T>([["en", en]]);
  const area: Texts<T> = {
    current: () => loaded.get(active) ?? en,
    has: (lang) => loaded.has(lang),
    async load(lang) {
      if (!loaded.has(lang)) loaded.set(lang, await others[lang as Exclude<Lang, "en">]());
    },
  };
  areas.push(area as Texts<unknown>);
  return area;
}

export function activeLanguage(): Lang {
  return active;
}

/** Fetch every area's table for `lang`, then switch the page to it (document lang and dir too). */
export async function switchLanguage(lang: Lang, remember = true): Promise<void> {
  await Promise.all(areas.map((area) => area.load(lang)));
  if (remember) storeLanguage(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  if (lang === active) return;
  active = lang;
  for (const listener of listeners) listener();
}

/** After sign-in: the account's language, when it has one, wins over this browser's (and is
 * remembered here, so the sign-in page after signing out speaks it too). */
export async function followAccountLanguage(account: object): Promise<void> {
  const lang = (account as { language?: unknown }).language;
  if (isLang(lang) && lang !== active) await switchLanguage(lang);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The active language; the component renders again when it changes. */
export function useLanguage(): Lang {
  return useSyncExternalStore(subscribe, activeLanguage, activeLanguage);
}

/** An area's table in the active language (a late area, like the admin console's, is fetched on
 * first use and English stands in for the moment it takes). */
export function useTexts<T>(area: Texts<T>): T {
  const lang = useLanguage();
  const [, loaded] = useState(0);
  useEffect(() => {
    if (!area.has(lang)) void area.load(lang).then(() => loaded((n) => n + 1));
  }, [area, lang]);
  return area.current();
}

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** "{n} answers" in the active language's plural forms (Arabic has six); `{n}` is the number. */
export function plural(n: number, forms: PluralForms): string {
  const rule = new Intl.PluralRules(intlLocale(active)).select(n);
  return (forms[rule] ?? forms.other).replaceAll("{n}", formatNumber(n));
}

/** A number as the active language writes it ("1 234,5" in French); `options` as Intl takes them. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(active), options).format(n);
}

/** A date and time in the active language, e.g. "2 déc. 2026, 08:30". */
export function formatDateTime(value: string | Date, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  return new Intl.DateTimeFormat(intlLocale(active), options).format(typeof value === "string" ? new Date(value) : value);
}
