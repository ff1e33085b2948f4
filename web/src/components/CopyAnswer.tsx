// Copy a whole answer as its raw markdown (what the model wrote, ready to paste elsewhere), with a
// short "Copied" in place of the button's word so the person knows it worked.
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";
import { useCopy } from "./useCopy";

export function CopyAnswer({ text }: { text: string }) {
  const T = useTexts(chatActionsText);
  const { state, copy } = useCopy(2000);
  return (
    <>
      <button type="button" className="icon copyanswer" onClick={() => copy(text)} title={T.copyAnswer} aria-live="polite">
        ⧉ {state === "copied" ? T.copied : T.copy}
      </button>
      {state === "failed" ? <span className="copystate">{T.copyFailed}</span> : null}
    </>
  );
}
