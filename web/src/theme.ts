// Light or dark, or whatever the system says: kept in this browser (localStorage) so the page is
// drawn in the right colours before anything is fetched, and on the account so it follows the
// person to another browser. The choice is `data-theme` on <html> (absent: the system decides),
// which theme.css turns into the colour variables of styles.css.
export type Theme = "system" | "light" | "dark";

export const THEMES: readonly Theme[] = ["system", "light", "dark"];

const STORAGE_KEY = "hadra.theme";

export function isTheme(value: unknown): value is Theme {
  return value === "system" || value === "light" || value === "dark";
}

/** The theme picked earlier in this browser ("system" on a first visit or with storage blocked). */
export function storedTheme(): Theme {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isTheme(value) ? value : "system";
  } catch {
    return "system";
  }
}

/** Draw the page in `theme` and remember it in this browser. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    if (theme === "system") window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // not remembered in this browser; the account still keeps it
  }
}

/** After sign-in: the account's theme, when the server sent one, wins over this browser's. */
export function followAccountTheme(me: object): void {
  const theme = (me as { theme?: unknown }).theme;
  if (isTheme(theme)) applyTheme(theme);
}
