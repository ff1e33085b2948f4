// The account pages' calls (loaded with them, like the admin console's adminApi.ts): API tokens,
// the account's own settings, password, sign out everywhere, delete. Same request() as the chat.
import { request } from "../api";
import type { AccountDeleteIn, MeOut, MePatch, PasswordChangeIn, TokenCreatedOut, TokenIn, TokenListOut, UserOut } from "../contract";

/** GET/PATCH /api/auth/me: the account and its preferences. */
export type Account = MeOut;
/** Any subset of the preferences (at least one). */
export type AccountPatch = MePatch;

/** Where "download all my data" points: a JSON attachment of the account and every conversation. */
export const EXPORT_PATH = "/api/auth/me/export";

export const accountApi = {
  me: () => request<Account>("GET", "/api/auth/me"),
  update: (patch: AccountPatch) => request<Account>("PATCH", "/api/auth/me", patch),
  changePassword: (body: PasswordChangeIn) => request<UserOut>("POST", "/api/auth/password", body),
  logoutEverywhere: () => request<null>("POST", "/api/auth/logout-everywhere"),
  deleteAccount: (body: AccountDeleteIn) => request<null>("DELETE", "/api/auth/me", body),

  tokens: () => request<TokenListOut>("GET", "/api/tokens"),
  createToken: (body: TokenIn) => request<TokenCreatedOut>("POST", "/api/tokens", body),
  revokeToken: (id: string) => request<null>("DELETE", `/api/tokens/${encodeURIComponent(id)}`),
};
