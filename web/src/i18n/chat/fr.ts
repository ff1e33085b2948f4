import { formatNumber, plural } from "../texts";
import type { ChatText } from "./en";

const decimals = (n: number, digits: number): string =>
  formatNumber(n, { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const fr: ChatText = {
  conversations: "Conversations",
  model: "Modèle",
  defaultModel: "modèle par défaut",
  settings: "Réglages de la conversation",
  settingsHint: "Modèle et prompt système",
  dismiss: "Fermer",
  modelNotes: {
    model_retired: (model) =>
      `Le modèle de cette conversation${model ? ` (${model})` : ""} a été retiré ; elle continue avec le modèle par défaut.`,
  },
  notConnected: {
    title: "Non connecté",
    advice: "La page se reconnecte d'elle-même ; votre texte est toujours dans la zone de saisie. Renvoyez-le une fois connecté.",
  },
  welcome: "Comment puis-je vous aider ?",
  welcomeHint:
    "Entrée envoie, Maj+Entrée passe à la ligne, Échap arrête une réponse. L'arabe et les textes mélangés sont les bienvenus.",
  composer: {
    placeholder: "Écrire à hadra…",
    label: "Message",
    send: "Envoyer",
    sendHint: "Envoyer (Entrée)",
    stop: "■ Arrêter",
    stopLabel: "Arrêter la réponse",
    stopHint: "Arrêter (Échap)",
  },
  message: {
    versions: "Versions",
    previous: "Version précédente",
    next: "Version suivante",
    stopped: "Arrêtée",
    interrupted: "Interrompue : le serveur a redémarré pendant la réponse. Appuyez sur ↻ pour réessayer.",
    waiting: "En attente du modèle…",
    starting: "Démarrage…",
    ahead: (n) => plural(n, { one: "{n} réponse avant la vôtre", other: "{n} réponses avant la vôtre" }),
    thinking: "En attente du premier mot",
    details: "Détails",
    cancel: "Annuler",
    saveAndSend: "Enregistrer et envoyer",
    edit: "✎ Modifier",
    editHint: "Modifier et renvoyer",
    regenerate: "↻ Régénérer",
    regenerateHint: "Régénérer",
    good: "Bonne réponse",
    bad: "Mauvaise réponse",
    ttft: (ms) => (ms < 1000 ? `1er jeton en ${formatNumber(Math.round(ms))} ms` : `1er jeton en ${decimals(ms / 1000, 2)} s`),
    speed: (tokensPerS) => `${decimals(tokensPerS, 1)} jetons/s`,
    tokens: (n) => plural(n, { one: "{n} jeton", other: "{n} jetons" }),
  },
  settingsPanel: {
    model: "Modèle",
    noModels: "(aucun modèle disponible)",
    systemPrompt: "Prompt système",
    placeholder: "Par ex. : Réponds brièvement, dans la langue de la question.",
    close: "Fermer",
    save: "Enregistrer",
  },
};
