// Held-out prompts answered by two models for the admin to compare, generated the way the chat
// generates (a `chat.send` on the admin's own socket, with the model named): no second path to
// Ollama. Each answer lives in a throwaway conversation that is deleted once the answer is done,
// so the admin's chat list and the training data stay as they were.
import { useCallback, useRef, useState } from "react";
import { api } from "../api";
import type { ServerFrame } from "../contract";
import type { AppErrorCode, ErrorParams } from "../errorText";
import type { ChatSocket } from "../socket";

export interface SampleAnswer {
  text: string;
  done: boolean;
  /** Why it failed (the code picks the sentence, errorText.ts). */
  error: { code: AppErrorCode; params?: ErrorParams } | null;
}

export interface SampleAnswers {
  answers: Record<string, SampleAnswer>;
  /** Ask `model` for an answer under `key`; false when the socket is not connected. */
  ask(key: string, model: string, content: string, systemPrompt: string): boolean;
  onFrame(frame: ServerFrame): void;
}

const NOT_SENT = { code: "network" } as const;

export function useSampleAnswers(socket: { current: Pick<ChatSocket, "send"> | null }): SampleAnswers {
  const [answers, setAnswers] = useState<Record<string, SampleAnswer>>({});
  const byRequest = useRef(new Map<string, string>());
  const byConversation = useRef(new Map<string, string>());
  const byMessage = useRef(new Map<string, { key: string; conversationId: string }>());

  const update = (key: string, change: (a: SampleAnswer) => SampleAnswer) =>
    setAnswers((all) => ({ ...all, [key]: change(all[key] ?? { text: "", done: false, error: null }) }));

  const ask = useCallback((key: string, model: string, content: string, systemPrompt: string) => {
    const requestId =
      socket.current?.send({
        type: "chat.send",
        conversation_id: null,
        content,
        model,
        ...(systemPrompt ? { system_prompt: systemPrompt } : {}),
      }) ?? null;
    if (!requestId) {
      update(key, () => ({ text: "", done: true, error: NOT_SENT }));
      return false;
    }
    byRequest.current.set(requestId, key);
    update(key, () => ({ text: "", done: false, error: null }));
    return true;
  }, []);

  const onFrame = useCallback((frame: ServerFrame) => {
    switch (frame.type) {
      case "conversation.created": {
        const key = frame.request_id ? byRequest.current.get(frame.request_id) : undefined;
        if (key) byConversation.current.set(frame.conversation.id, key);
        break;
      }
      case "message.created": {
        const key = byConversation.current.get(frame.message.conversation_id);
        if (key && frame.message.role === "assistant") {
          byMessage.current.set(frame.message.id, { key, conversationId: frame.message.conversation_id });
        }
        break;
      }
      case "message.delta": {
        const mine = byMessage.current.get(frame.message_id);
        if (mine) update(mine.key, (a) => ({ ...a, text: a.text + frame.text }));
        break;
      }
      case "message.done": {
        const mine = byMessage.current.get(frame.message_id);
        if (!mine) break;
        update(mine.key, () => ({ text: frame.content, done: true, error: frame.error }));
        byMessage.current.delete(frame.message_id);
        byConversation.current.delete(mine.conversationId);
        api.deleteConversation(mine.conversationId).catch(() => undefined); // a leftover is harmless
        break;
      }
      case "error": {
        const key = frame.request_id ? byRequest.current.get(frame.request_id) : undefined;
        if (key) update(key, () => ({ text: "", done: true, error: frame }));
        break;
      }
      default:
        break;
    }
  }, []);

  return { answers, ask, onFrame };
}
