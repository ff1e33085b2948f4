import type { SidebarText } from "./en";

export const fr: SidebarText = {
  label: "Conversations",
  search: "Rechercher dans les conversations",
  titleLabel: "Titre de la conversation",
  rename: "Renommer",
  renameNamed: (title) => `Renommer ${title}`,
  delete: "Supprimer",
  deleteNamed: (title) => `Supprimer ${title}`,
  confirmDelete: (title) => `Supprimer « ${title} » et tous ses messages ?`,
  noMatch: "Aucun titre ne correspond.",
  none: "Pas encore de conversation.",
  loadMore: "Afficher plus",
  logOut: "Se déconnecter",
};
