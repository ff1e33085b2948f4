import type { AccountNavText } from "./en";

export const ar: AccountNavText = {
  label: "حسابك",
  settings: "الإعدادات",
  tokens: "رموز API",
  loading: "جارٍ التحميل…",
};
