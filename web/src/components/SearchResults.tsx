// What the sidebar's search found: per conversation its title and the words around the match,
// the matched words marked. Opening a hit goes to the message (on its own version if need be).
import type { SearchHitOut } from "../contract";
import { conversationTitle } from "../conversationTitle";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";
import { markMatches } from "../search";

export function SearchResults({
  query,
  hits,
  searching,
  onOpen,
}: {
  query: string;
  hits: SearchHitOut[] | null;
  searching: boolean;
  onOpen(hit: SearchHitOut): void;
}) {
  const T = useTexts(chatActionsText);
  return (
    <>
      <p className="searchstate" role="status">
        {searching ? T.searching : hits ? (hits.length ? T.hitCount(hits.length) : T.noHits) : ""}
      </p>
      <ul className="convs hits">
        {(hits ?? []).map((hit) => {
          const where = hit.role === "user" ? T.inQuestion : hit.role === "assistant" ? T.inAnswer : T.inTitle;
          return (
            <li key={hit.conversation.id} className="hit" data-conversation-id={hit.conversation.id}>
              <a
                href={`/c/${hit.conversation.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  onOpen(hit);
                }}
              >
                <span className="hittitle" dir="auto">
                  {conversationTitle(hit.conversation)}
                </span>
                <span className="snippet" dir="auto">
                  {markMatches(hit.snippet, query).map((piece, i) => (piece.match ? <mark key={i}>{piece.text}</mark> : piece.text))}
                </span>
                <span className="hitwhere">
                  {where}
                  {hit.message_id && !hit.on_active_branch ? ` · ${T.otherVersion}` : ""}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </>
  );
}
