// Copy a whole answer as its raw markdown (what the model wrote, ready to paste elsewhere), with a
// short "Copied" in place of the button's word so the person knows it worked.
import { useEffect, useState } from "react";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";

export function CopyAnswer({ text }: { text: string }) {
  const T = useTexts(chatActionsText);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  const copy = () => {
    const clipboard = navigator.clipboard;
    if (!clipboard) {
      setState("failed");
      return;
    }
    clipboard.writeText(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };
  return (
    <>
      <button type="button" className="icon copyanswer" onClick={copy} title={T.copyAnswer} aria-live="polite">
        ⧉ {state === "copied" ? T.copied : T.copy}
      </button>
      {state === "failed" ? <span className="copystate">{T.copyFailed}</span> : null}
    </>
  );
}
