// The list of conversations.
export const en = {
  label: "Conversations",
  search: "Search conversations",
  titleLabel: "Conversation title",
  rename: "Rename",
  delete: "Delete",
  confirmDelete: (title: string) => `Delete “${title}” and all its messages?`,
  none: "No conversations yet.",
  loadMore: "Load more",
  logOut: "Log out",
};

export type SidebarText = typeof en;
