// Every area's French and Arabic tables say everything the English one says: the same keys at
// every depth, functions taking the same arguments, no empty string, and nothing left in English
// (brand names, symbols and words French shares with English are listed below).
import { afterEach, describe, expect, it } from "vitest";
import { activeLanguage, plural, switchLanguage } from "./texts";

type Table = Record<string, unknown>;

/** Each area's three tables, found by their layout: i18n/<area>/ and <chunk>/text/. */
const modules = import.meta.glob<Table>(["./*/{en,fr,ar}.ts", "../*/text/{en,fr,ar}.ts"], { eager: true });
// Declaring the areas (their index.ts) is what lets switchLanguage fetch them.
import.meta.glob(["./*/index.ts", "../*/text/index.ts"], { eager: true });

function areas(): Map<string, Record<"en" | "fr" | "ar", unknown>> {
  const byArea = new Map<string, Record<"en" | "fr" | "ar", unknown>>();
  for (const [path, module] of Object.entries(modules)) {
    const m = /^(.*)\/(en|fr|ar)\.ts$/.exec(path)!;
    const lang = m[2] as "en" | "fr" | "ar";
    const area = byArea.get(m[1]) ?? ({} as Record<"en" | "fr" | "ar", unknown>);
    area[lang] = module[lang];
    byArea.set(m[1], area);
  }
  return byArea;
}

/** Strings that are rightly the same as in English. */
const SAME = new Set([
  "hadra",
  "API",
  "JSON",
  "Markdown",
  "Ollama",
  "TTFT",
  // French words spelled as in English
  "Conversations",
  "Message",
  "Versions",
  "Version",
  "Audit",
  "Source",
  "Base",
  "Administration",
  "Date",
  "Action",
  "Actions",
  "Options",
  "Notes",
  "Note",
  "Export",
  "Import",
  "Session",
  "Sessions",
  "Description",
  "Minimal",
  "Total",
  "Prompt",
  "Test",
  "Email",
  "Tokens",
  "Interface",
  "Assistant",
  "Active",
  // units French writes as English does
  "s",
  "min",
  "h",
]);

/** A string with no letter (a symbol, an emoji, "—") reads the same in every language. */
const needsWords = (s: string) => /\p{L}/u.test(s) && !SAME.has(s.trim());

function compare(en: unknown, other: unknown, path: string, lang: string, problems: string[]): void {
  if (typeof en !== typeof other) {
    problems.push(`${lang} ${path}: ${typeof other}, English has ${typeof en}`);
    return;
  }
  if (typeof en === "function") {
    if ((en as (...a: unknown[]) => unknown).length !== (other as (...a: unknown[]) => unknown).length)
      problems.push(`${lang} ${path}: takes other arguments than English`);
    return;
  }
  if (typeof en === "string") {
    const s = other as string;
    if (!s.trim()) problems.push(`${lang} ${path}: empty`);
    else if (s === en && needsWords(s)) problems.push(`${lang} ${path}: still English (${s})`);
    return;
  }
  if (en && typeof en === "object") {
    const a = en as Table;
    const b = other as Table;
    for (const key of Object.keys(a)) {
      if (!(key in b)) problems.push(`${lang} ${path}.${key}: missing`);
      else compare(a[key], b[key], `${path}.${key}`, lang, problems);
    }
    for (const key of Object.keys(b)) if (!(key in a)) problems.push(`${lang} ${path}.${key}: not in English`);
  }
}

describe("word tables", () => {
  afterEach(async () => {
    await switchLanguage("en");
  });

  it("finds the areas of the first load and of the chunks", () => {
    const names = [...areas().keys()];
    for (const area of ["./common", "./auth", "./chat", "./sidebar", "./errors", "../admin/text"]) expect(names).toContain(area);
  });

  it("has, in French and Arabic, every key of English, translated, and no other", () => {
    const problems: string[] = [];
    for (const [name, tables] of areas()) {
      expect(tables.en, `${name}/en.ts`).toBeTruthy();
      for (const lang of ["fr", "ar"] as const) {
        expect(tables[lang], `${name}/${lang}.ts`).toBeTruthy();
        compare(tables.en, tables[lang], name, lang, problems);
      }
    }
    expect(problems).toEqual([]);
  });

  it("says counts in Arabic's six plural forms", async () => {
    await switchLanguage("ar");
    const forms = { zero: "zero {n}", one: "one", two: "two", few: "few {n}", many: "many {n}", other: "other {n}" };
    expect([0, 1, 2, 3, 11, 100].map((n) => plural(n, forms))).toEqual(["zero 0", "one", "two", "few 3", "many 11", "other 100"]);
    const { chatText } = await import("./chat");
    const ahead = chatText.current().message.ahead;
    expect([1, 2, 3, 11, 100].map(ahead)).toEqual([
      "رد واحد قبل ردك",
      "ردّان قبل ردك",
      "3 ردود قبل ردك",
      "11 ردًا قبل ردك",
      "100 رد قبل ردك",
    ]);
    const tokens = chatText.current().message.tokens;
    expect([0, 1, 2, 3, 11, 100].map(tokens)).toEqual(["0 رمز", "رمز واحد", "رمزان", "3 رموز", "11 رمزًا", "100 رمز"]);
  });

  it("turns the page right to left for Arabic, and remembers the choice", async () => {
    await switchLanguage("ar");
    expect(activeLanguage()).toBe("ar");
    expect(document.documentElement.lang).toBe("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(window.localStorage.getItem("hadra.lang")).toBe("ar");
    await switchLanguage("fr");
    expect(document.documentElement.lang).toBe("fr");
    expect(document.documentElement.dir).toBe("ltr");
    const { commonText } = await import("./common");
    expect(commonText.current().newChat).toBe("Nouvelle conversation");
  });
});
