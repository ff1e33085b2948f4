// The little the chat needs to know about the account pages: their addresses (the links' words are
// the i18n/accountLinks area). The pages themselves (AccountPage, loaded on demand) and their words
// (text/) are a chunk of their own that the chat's first load does not carry.
export const SETTINGS_PATH = "/settings";
export const TOKENS_PATH = "/tokens";

export type AccountPageName = "settings" | "tokens";

/** Which account page a path shows, or null for any other page of the app. */
export function accountPageOf(path: string): AccountPageName | null {
  const clean = path.replace(/\/+$/, "");
  if (clean === SETTINGS_PATH) return "settings";
  if (clean === TOKENS_PATH) return "tokens";
  return null;
}

export function accountPath(page: AccountPageName): string {
  return page === "settings" ? SETTINGS_PATH : TOKENS_PATH;
}
