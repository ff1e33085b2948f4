// What a conversation is called on screen. The server sends `title: null` until the first answer
// names it and leaves the words for that to each client, in its reader's language.
import type { ConversationOut } from "./contract";

/** What an unnamed conversation (and the screen for a new one) is called. */
export const NEW_CHAT = "New chat";

export function conversationTitle(conversation: Pick<ConversationOut, "title">): string {
  return conversation.title ?? NEW_CHAT;
}
