import { plural } from "../../i18n/texts";
import type { AccountText } from "./en";

export const fr: AccountText = {
  backToChat: "← Retour à la discussion",
  pagesLabel: "Compte",
  saved: "Enregistré.",
  loadingPage: "Chargement…",

  tokens: {
    title: "Jetons d’API",
    intro:
      "Un jeton permet à un programme (un script, un bot, une autre application) d’utiliser votre compte par le WebSocket et l’API HTTP. Donnez à chaque programme son propre jeton : vous pourrez en révoquer un sans arrêter les autres.",
    createHeading: "Créer un jeton",
    nameLabel: "Nom",
    namePlaceholder: "ex. mon bot sur le portable",
    nameMissing: "Donnez un nom au jeton, pour savoir plus tard quel programme l’utilise.",
    create: "Créer",
    creating: "Création…",
    createdHeading: (name: string) => `Votre nouveau jeton « ${name} »`,
    onceWarning:
      "Copiez-le maintenant : il n’est affiché que cette fois-ci. hadra n’en garde qu’une empreinte et ne pourra plus vous le montrer.",
    secretLabel: "Jeton",
    copy: "Copier",
    copied: "Copié",
    copyFailed: "Copie impossible : sélectionnez le jeton et copiez-le à la main.",
    wsExample: "Discuter par le WebSocket (le jeton va dans l’en-tête Authorization ; envoyez ensuite une trame chat.send) :",
    httpExample: "Appeler l’API HTTP, par exemple pour lister vos conversations :",
    done: "Je l’ai copié",
    listHeading: "Vos jetons",
    none: "Aucun jeton pour l’instant.",
    count: (n: number) => plural(n, { one: "{n} jeton", other: "{n} jetons" }),
    name: "Nom",
    created: "Créé le",
    lastUsed: "Dernière utilisation",
    never: "Jamais",
    actions: "Actions",
    revoke: "Révoquer",
    revokeLabel: (name: string) => `Révoquer ${name}`,
    revokeConfirm: (name: string) =>
      `Révoquer « ${name} » ? Les programmes qui l’utilisent sont refusés immédiatement et leurs connexions ouvertes sont fermées. C’est définitif.`,
    revoked: (name: string) => `« ${name} » est révoqué.`,
  },

  settings: {
    title: "Paramètres",
    interface: {
      heading: "Interface",
      language: "Langue",
      languageHelp: "Enregistrée sur votre compte : vous la retrouvez dans tous les navigateurs où vous vous connectez.",
      theme: "Thème",
      themes: { system: "Comme mon système", light: "Clair", dark: "Sombre" },
    },
    newChats: {
      heading: "Nouvelles discussions",
      intro: "Ce avec quoi commence une nouvelle discussion. Chaque discussion peut toujours changer les siens dans ses réglages (⚙).",
      model: "Modèle par défaut",
      serverDefault: "Modèle par défaut du serveur (suit le modèle activé par l’administrateur)",
      modelHelp:
        "Un modèle que vous épinglez reste votre modèle par défaut jusqu’à ce que vous le changiez ; si un administrateur le retire, vos nouvelles discussions reviennent au modèle par défaut du serveur et vous en êtes averti ici.",
      systemPrompt: "Prompt système des nouvelles discussions",
      systemPromptPlaceholder: "ex. Réponds brièvement, dans la langue de la question.",
      save: "Enregistrer",
      retired: (model: string) =>
        model
          ? `Le modèle que vous aviez épinglé, « ${model} », a été retiré : vos nouvelles discussions utilisent le modèle par défaut du serveur. Choisissez un autre modèle pour en épingler un de nouveau.`
          : "Le modèle que vous aviez épinglé a été retiré : vos nouvelles discussions utilisent le modèle par défaut du serveur. Choisissez un autre modèle pour en épingler un de nouveau.",
      noModels: "La liste des modèles n’a pas pu être chargée ; vous pouvez garder le modèle par défaut du serveur.",
    },
    privacy: {
      heading: "Confidentialité",
      training: "Utiliser mes conversations pour l’entraînement",
      trainingHelp:
        "Activé, vos réponses notées et corrigées peuvent servir à entraîner le prochain modèle. Désactivé, aucune de vos conversations, passées ou futures, n’est utilisée. Enregistré immédiatement.",
      exportHeading: "Vos données",
      exportHelp: "Toutes vos conversations (avec toutes leurs branches), vos réglages et les informations de votre compte, dans un seul fichier JSON.",
      export: "Télécharger toutes mes données",
    },
    security: {
      heading: "Sécurité",
      passwordHeading: "Changer de mot de passe",
      currentPassword: "Mot de passe actuel",
      newPassword: "Nouveau mot de passe",
      passwordHelp:
        "Au moins 8 caractères. Vos autres sessions sont déconnectées et leurs connexions ouvertes fermées ; celle-ci reste connectée. Les jetons d’API continuent de fonctionner.",
      changePassword: "Changer le mot de passe",
      passwordShort: "Le nouveau mot de passe doit contenir au moins 8 caractères.",
      passwordMissing: "Saisissez votre mot de passe actuel.",
      passwordChanged: "Mot de passe changé. Vos autres sessions sont déconnectées et leurs connexions fermées.",
      everywhereHeading: "Se déconnecter partout",
      everywhereHelp:
        "Met fin à toutes les sessions de votre compte, dans tous les navigateurs, y compris celle-ci, et ferme leurs connexions ouvertes. Les jetons d’API continuent de fonctionner : révoquez-les sur la page Jetons d’API.",
      everywhere: "Se déconnecter partout",
    },
    danger: {
      heading: "Zone dangereuse",
      deleteHeading: "Supprimer mon compte et toutes mes données",
      explain:
        "Vos conversations, messages, jetons d’API et sessions sont supprimés définitivement, et vos exemples sortent de toute donnée d’entraînement pas encore utilisée. Les modèles déjà entraînés ne sont pas réentraînés : ce qu’ils ont appris reste en eux.",
      password: "Votre mot de passe",
      confirm: (username: string) => `Saisissez votre nom d’utilisateur, ${username}, pour confirmer`,
      delete: "Supprimer mon compte",
      deleting: "Suppression…",
      confirmMismatch: "Saisissez exactement votre nom d’utilisateur pour confirmer.",
    },
  },

  accountGone: "Votre compte et toutes ses données ont été supprimés.",
};
