import { plural } from "../texts";
import type { ChatActionsText } from "./en";

export const fr: ChatActionsText = {
  correct: "Corriger",
  correctTitle: "Écrivez la réponse qu’il aurait dû donner",
  correctLabel: "Réponse corrigée",
  correctHint: "Votre réponse corrigée est enregistrée comme nouvelle version et sert à entraîner le prochain modèle.",
  saveCorrection: "Enregistrer la correction",
  cancel: "Annuler",

  rateAgainClears: "Cliquez à nouveau pour retirer votre évaluation",
  noteLabel: "Ajouter un commentaire (facultatif)",
  notePlaceholder: "Qu’est-ce qui allait ou n’allait pas ?",
  noteChips: ["Mauvais dialecte", "Trop long", "Trop court", "Faux", "Utile"],
  noteLeft: (n: number) => plural(n, { one: "{n} caractère restant", other: "{n} caractères restants" }),
  saveNote: "Enregistrer le commentaire",
  skipNote: "Passer",
  editNote: "Modifier le commentaire",
  notePrefix: "Commentaire :",

  copy: "Copier",
  copyAnswer: "Copier toute la réponse",
  copied: "Copié",
  copyFailed: "Copie impossible : sélectionnez le texte et copiez-le vous-même.",
  showMore: "Afficher plus",
  showLess: "Afficher moins",
  scrollLatest: "Aller au plus récent",

  answerFinished: "Réponse terminée",

  menuFor: (title: string) => `Actions pour ${title}`,
  exportMarkdown: "Exporter en Markdown",
  exportJson: "Exporter en JSON",

  importButton: "Importer",
  importTitle: "Importer une conversation exportée en JSON",

  searchPlaceholder: "Rechercher dans les messages et les titres",
  searching: "Recherche…",
  noHits: "Aucun résultat.",
  hitCount: (n: number) => plural(n, { one: "{n} conversation trouvée", other: "{n} conversations trouvées" }),
  inQuestion: "Dans une question",
  inAnswer: "Dans une réponse",
  inTitle: "Dans le titre",
  otherVersion: "Dans une autre version",
};
