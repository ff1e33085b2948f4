// The links to the account pages (sidebar, and between the pages) and what shows while their chunk
// loads: first-load words, apart from the pages' own (account/text, in their chunk).
export const en = {
  label: "Your account",
  settings: "Settings",
  tokens: "API tokens",
  loading: "Loading…",
};

export type AccountNavText = typeof en;
