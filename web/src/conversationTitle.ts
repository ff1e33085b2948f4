// What a conversation is called on screen. The server sends `title: null` until the first answer
// names it and leaves the words for that to each client, in its reader's language.
import type { ConversationOut } from "./contract";
import { commonText } from "./i18n/common";

export function conversationTitle(conversation: Pick<ConversationOut, "title">): string {
  return conversation.title ?? commonText.current().newChat;
}
