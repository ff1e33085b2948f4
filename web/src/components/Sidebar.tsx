// The list of conversations: new, search (titles, on the server), rename in place, delete.
import { useState } from "react";
import { ADMIN_PATH, ADMIN_ROUTE_TEXT } from "../admin/route";
import type { ConversationOut, UserOut } from "../contract";
import { conversationTitle, NEW_CHAT } from "../conversationTitle";

function Item({
  conversation,
  active,
  onOpen,
  onRename,
  onDelete,
}: {
  conversation: ConversationOut;
  active: boolean;
  onOpen(): void;
  onRename(title: string): void;
  onDelete(): void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(conversation.title ?? "");
  const shown = conversationTitle(conversation);
  if (renaming) {
    const save = () => {
      setRenaming(false);
      if (title.trim() && title.trim() !== conversation.title) onRename(title.trim());
    };
    return (
      <li className="conv active">
        <input
          dir="auto"
          aria-label="Conversation title"
          value={title}
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => {
            if (e.key === "Enter") save();
            if (e.key === "Escape") {
              e.stopPropagation();
              setTitle(conversation.title ?? "");
              setRenaming(false);
            }
          }}
        />
      </li>
    );
  }
  return (
    <li className={`conv ${active ? "active" : ""}`} data-conversation-id={conversation.id}>
      <a
        href={`/c/${conversation.id}`}
        dir="auto"
        onClick={(e) => {
          e.preventDefault();
          onOpen();
        }}
      >
        {shown}
      </a>
      <span className="convactions">
        <button
          type="button"
          className="icon"
          title="Rename"
          aria-label={`Rename ${shown}`}
          onClick={() => {
            setTitle(conversation.title ?? "");
            setRenaming(true);
          }}
        >
          ✎
        </button>
        <button
          type="button"
          className="icon"
          title="Delete"
          aria-label={`Delete ${shown}`}
          onClick={() => {
            if (window.confirm(`Delete “${shown}” and all its messages?`)) onDelete();
          }}
        >
          🗑
        </button>
      </span>
    </li>
  );
}

export function Sidebar({
  user,
  conversations,
  activeId,
  query,
  hasMore,
  open,
  onQuery,
  onMore,
  onNew,
  onOpen,
  onRename,
  onDelete,
  onAdmin,
  onLogout,
}: {
  user: Pick<UserOut, "username">;
  conversations: ConversationOut[];
  activeId: string | null;
  query: string;
  hasMore: boolean;
  open: boolean;
  onQuery(q: string): void;
  onMore(): void;
  onNew(): void;
  onOpen(id: string): void;
  onRename(id: string, title: string): void;
  onDelete(id: string): void;
  /** Open the admin console: given for staff only. */
  onAdmin?(): void;
  onLogout(): void;
}) {
  return (
    <aside className={`sidebar ${open ? "open" : ""}`} aria-label="Conversations">
      <button type="button" className="primary newchat" onClick={onNew}>
        + {NEW_CHAT}
      </button>
      <input
        type="search"
        dir="auto"
        className="search"
        placeholder="Search conversations"
        aria-label="Search conversations"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
      />
      <ul className="convs">
        {conversations.map((c) => (
          <Item
            key={c.id}
            conversation={c}
            active={c.id === activeId}
            onOpen={() => onOpen(c.id)}
            onRename={(title) => onRename(c.id, title)}
            onDelete={() => onDelete(c.id)}
          />
        ))}
        {conversations.length === 0 ? <li className="empty">{query ? "No titles match." : "No conversations yet."}</li> : null}
      </ul>
      {hasMore ? (
        <button type="button" className="more" onClick={onMore}>
          Load more
        </button>
      ) : null}
      <div className="me">
        <span dir="auto">{user.username}</span>
        {onAdmin ? (
          <a
            href={ADMIN_PATH}
            className="adminlink"
            onClick={(e) => {
              e.preventDefault();
              onAdmin();
            }}
          >
            {ADMIN_ROUTE_TEXT.link}
          </a>
        ) : null}
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </div>
    </aside>
  );
}
