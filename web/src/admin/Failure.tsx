// A failed admin call in the chat's words for its code (errorText.ts); the server's own message is
// folded under it for whoever reports the problem.
import { ApiError } from "../api";
import { errorText } from "../errorText";
import { ADMIN_TEXT } from "./text";

export function Failure({ error, onRetry }: { error: unknown; onRetry?(): void }) {
  if (!error) return null;
  const known = error instanceof ApiError ? error : null;
  const { title, advice } = errorText(known?.code ?? "internal", undefined, known?.params);
  return (
    <div className="msgerror" role="alert" data-error-code={known?.code ?? "internal"}>
      <strong>{title}.</strong> {advice}
      {onRetry ? (
        <button type="button" className="link" onClick={onRetry}>
          {ADMIN_TEXT.retry}
        </button>
      ) : null}
      {known?.message ? (
        <details className="detail">
          <summary>{ADMIN_TEXT.details}</summary>
          <span dir="auto">{known.message}</span>
        </details>
      ) : null}
    </div>
  );
}
