// The little the chat needs to know about the admin console: its address and the words of the
// link and of the refusal. Kept apart from the console (AdminPage, loaded on demand) so that the
// chat's first load carries these few strings and none of the console's code.
export const ADMIN_PATH = "/admin";

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`);
}

/** What the chat shows about the console (the console's own words are in admin/labels.ts). */
export const ADMIN_ROUTE_TEXT = {
  link: "Admin",
  loading: "Loading the admin console…",
  notStaffTitle: "This page is for administrators",
  notStaff: "Your account cannot open the admin console. Ask an administrator if you need to.",
  backToChat: "Back to the chat",
};
