// The list of conversations.
export const en = {
  label: "Conversations",
  search: "Search conversations",
  titleLabel: "Conversation title",
  rename: "Rename",
  renameNamed: (title: string) => `Rename ${title}`,
  delete: "Delete",
  deleteNamed: (title: string) => `Delete ${title}`,
  confirmDelete: (title: string) => `Delete “${title}” and all its messages?`,
  noMatch: "No titles match.",
  none: "No conversations yet.",
  loadMore: "Load more",
  logOut: "Log out",
};

export type SidebarText = typeof en;
