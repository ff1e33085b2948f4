// Import a conversation from a hadra JSON export (the file picked here is sent as the request's
// JSON body). A file that is not JSON is refused here with the same sentence the server gives a
// file it cannot import; nothing in the list changes when an import fails.
import { useRef, useState } from "react";
import { api, ApiError } from "../api";
import type { ConversationOut } from "../contract";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";

/** Import the text of a picked file. */
export async function importFile(text: string): Promise<ConversationOut> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_import", "The file is not JSON.");
  }
  return api.importConversation(doc);
}

export function ImportButton({ onImported, onError }: { onImported(c: ConversationOut): void; onError(e: unknown): void }) {
  const T = useTexts(chatActionsText);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button type="button" className="importbutton" title={T.importTitle} disabled={busy} onClick={() => input.current?.click()}>
        ⤒ {T.importButton}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label={T.importTitle}
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ""; // the same file may be picked again after fixing it
          if (!file) return;
          setBusy(true);
          file
            .text()
            .then(importFile)
            .then(onImported, onError)
            .finally(() => setBusy(false));
        }}
      />
    </>
  );
}
