// Shown when the reader has scrolled up (while an answer streams, the view then stops following
// it): one press goes back to the newest text and the view follows again.
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";

export function ScrollToLatest({ onClick }: { onClick(): void }) {
  const T = useTexts(chatActionsText);
  return (
    <button type="button" className="tolatest" onClick={onClick} aria-label={T.scrollLatest} title={T.scrollLatest}>
      ↓
    </button>
  );
}
