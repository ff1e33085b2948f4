// The account pages' words (/settings and /tokens), in English; fr.ts and ar.ts are the same table
// in French and Arabic. Error sentences are not here: they come from errorText.ts by code.
import { plural } from "../../i18n/texts";

export const en = {
  backToChat: "← Back to the chat",
  pagesLabel: "Account",
  saved: "Saved.",
  loadingPage: "Loading…",

  tokens: {
    title: "API tokens",
    intro:
      "A token lets a program (a script, a bot, another app) use your account over the WebSocket and the HTTP API. Give each program its own token, so you can revoke one without stopping the others.",
    createHeading: "Create a token",
    nameLabel: "Name",
    namePlaceholder: "e.g. my bot on the laptop",
    nameMissing: "Give the token a name, so you know later which program uses it.",
    create: "Create",
    creating: "Creating…",
    createdHeading: (name: string) => `Your new token “${name}”`,
    onceWarning: "Copy it now: it is shown only this once. hadra keeps only a fingerprint of it and cannot show it again.",
    secretLabel: "Token",
    copy: "Copy",
    copied: "Copied",
    copyFailed: "Could not copy: select the token and copy it by hand.",
    wsExample: "Chat over the WebSocket (the token goes in the Authorization header; then send a chat.send frame):",
    httpExample: "Call the HTTP API, e.g. list your conversations:",
    done: "I have copied it",
    listHeading: "Your tokens",
    none: "No tokens yet.",
    count: (n: number) => plural(n, { one: "{n} token", other: "{n} tokens" }),
    name: "Name",
    created: "Created",
    lastUsed: "Last used",
    never: "Never",
    actions: "Actions",
    revoke: "Revoke",
    revokeLabel: (name: string) => `Revoke ${name}`,
    revokeConfirm: (name: string) =>
      `Revoke “${name}”? Programs using it are refused at once and their open connections close. This cannot be undone.`,
    revoked: (name: string) => `“${name}” is revoked.`,
  },

  settings: {
    title: "Settings",
    interface: {
      heading: "Interface",
      language: "Language",
      languageHelp: "Saved on your account: you get it in every browser you sign in from.",
      theme: "Theme",
      themes: { system: "Same as my system", light: "Light", dark: "Dark" },
    },
    newChats: {
      heading: "New chats",
      intro: "What a new chat starts with. Each chat can still change its own in its settings (⚙).",
      model: "Default model",
      serverDefault: "Server default (follows the model the admin activates)",
      modelHelp:
        "A model you pin stays your default until you change it; if an administrator retires it, your new chats go back to the server default and you are told here.",
      systemPrompt: "System prompt for new chats",
      systemPromptPlaceholder: "e.g. Answer briefly, in the language of the question.",
      save: "Save",
      retired: (model: string) =>
        model
          ? `The model you pinned, “${model}”, was retired: your new chats use the server default. Pick another model to pin one again.`
          : "The model you pinned was retired: your new chats use the server default. Pick another model to pin one again.",
      noModels: "The model list could not be loaded; you can still keep the server default.",
    },
    privacy: {
      heading: "Privacy",
      training: "Use my conversations for training",
      trainingHelp:
        "When on, your rated and corrected answers can help train the next model. When off, none of your conversations, past or future, is used. Saved at once.",
      exportHeading: "Your data",
      exportHelp: "Every conversation (every branch), your settings and your account's details, in one JSON file.",
      export: "Download all my data",
    },
    security: {
      heading: "Security",
      passwordHeading: "Change password",
      currentPassword: "Current password",
      newPassword: "New password",
      passwordHelp: "At least 8 characters. Your other sessions are signed out and their open connections closed; this one stays signed in. API tokens keep working.",
      changePassword: "Change password",
      passwordShort: "The new password needs at least 8 characters.",
      passwordMissing: "Enter your current password.",
      passwordChanged: "Password changed. Your other sessions are signed out and their connections closed.",
      everywhereHeading: "Sign out everywhere",
      everywhereHelp:
        "Ends every session of your account, in every browser, this one too, and closes their open connections. API tokens keep working: revoke them on the API tokens page.",
      everywhere: "Sign out everywhere",
    },
    danger: {
      heading: "Danger zone",
      deleteHeading: "Delete my account and all my data",
      explain:
        "Your conversations, messages, API tokens and sessions are deleted for good, and your rows leave any training data not yet used. Models already trained are not retrained: what they learned stays in them.",
      password: "Your password",
      confirm: (username: string) => `Type your username, ${username}, to confirm`,
      delete: "Delete my account",
      deleting: "Deleting…",
      confirmMismatch: "Type your username exactly to confirm.",
    },
  },

  /** On the sign-in page after the account was deleted. */
  accountGone: "Your account and all its data were deleted.",
};

export type AccountText = typeof en;
