// The little the chat needs to know about the admin console: its address. Kept apart from the
// console (AdminPage, loaded on demand) so that the chat's first load carries none of its code; the
// words of the link and of the refusal are in the `common` area, the console's own in admin/text/.
export const ADMIN_PATH = "/admin";

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`);
}
