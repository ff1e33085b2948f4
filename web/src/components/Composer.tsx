// The input box. Enter sends, Shift+Enter breaks the line, and an IME composition (Arabic,
// CJK keyboards) is never cut short by its own Enter. While an answer streams the button stops it.
import { useEffect, useRef, type KeyboardEvent } from "react";
import { chatText } from "../i18n/chat";
import { useTexts } from "../i18n/texts";

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  streaming,
  disabled,
  placeholder,
}: {
  value: string;
  onChange(text: string): void;
  onSend(): void;
  onStop(): void;
  streaming: boolean;
  disabled: boolean;
  placeholder: string;
}) {
  const T = useTexts(chatText).composer;
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [value]);

  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      // Even while disconnected: the app then says so and keeps the text, rather than ignore the key.
      if (!streaming && value.trim()) onSend();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (streaming) onStop();
        else if (value.trim()) onSend();
      }}
    >
      <textarea
        ref={box}
        dir="auto"
        rows={1}
        value={value}
        placeholder={placeholder}
        aria-label={T.label}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={keys}
      />
      {streaming ? (
        <button type="submit" className="stop" aria-label={T.stopLabel} title={T.stopHint}>
          {T.stop}
        </button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || !value.trim()} aria-label={T.send} title={T.sendHint}>
          {T.send}
        </button>
      )}
    </form>
  );
}
