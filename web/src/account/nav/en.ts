// The links to the account pages (sidebar) and what shows while their chunk loads: first-load words.
export const en = {
  label: "Your account",
  settings: "Settings",
  tokens: "API tokens",
  loading: "Loading…",
};

export type AccountNavText = typeof en;
