import type { SidebarText } from "./en";

export const fr: SidebarText = {
  label: "Conversations",
  search: "Rechercher",
  titleLabel: "Titre de la conversation",
  rename: "Renommer",
  delete: "Supprimer",
  confirmDelete: (title) => `Supprimer « ${title} » et tous ses messages ?`,
  none: "Pas encore de conversation.",
  loadMore: "Afficher plus",
  logOut: "Se déconnecter",
};
