// What a person reads when something fails: what happened and what to do, picked by the error's
// `code` (contract.ts) and by what the app was doing. The server's `message` is written for
// programs and logs (field names, validator wording, hosts) and is never the sentence shown.
// The wording lives in the `errors` area (i18n/errors/{en,fr,ar}.ts), one table per language of
// the same type: a language must explain every code, or it does not compile.
import type { ErrorCode, ErrorInfo } from "./contract";
import type { FormProblem } from "./formChecks";
import { errorsText } from "./i18n/errors";

/** Codes the app gives its own failures: the server could not be reached at all. */
export type ClientErrorCode = "network";
/** Every code a sentence can be asked for. */
export type AppErrorCode = ErrorCode | ClientErrorCode;
/** What the server's `params` may hold: what a sentence needs (seconds, the model, what was missing). */
export type ErrorParams = NonNullable<ErrorInfo["params"]>;

/** Why a training run failed: the worker's codes (a run's `error.code`), not the API's. */
export type RunFailure = "worker_lost" | "dataset_failed" | "train_failed" | "eval_failed" | "export_failed" | "register_failed";

/** What the app was doing when the error came: the same code can need other words per form. */
export type ErrorContext = "login" | "register" | "chat" | "rename" | "settings" | "load" | "models" | "run" | "import" | "account";

export interface ErrorText {
  title: string;
  advice: string;
}

/** A sentence, or one built from the error's params. */
export type Sentence = ErrorText | ((params: ErrorParams) => ErrorText);

function resolve(sentence: Sentence | undefined, params: ErrorParams): ErrorText | undefined {
  return typeof sentence === "function" ? sentence(params) : sentence;
}

/** The sentence for `code`, in `context`'s words where it has its own. */
export function errorText(code: AppErrorCode | FormProblem | RunFailure, context?: ErrorContext, params: ErrorParams = {}): ErrorText {
  const T = errorsText.current();
  const table: Record<string, Sentence> | undefined = context ? (T.inContext as Partial<Record<ErrorContext, Record<string, Sentence>>>)[context] : undefined;
  const own = table && Object.hasOwn(table, code) ? resolve(table[code], params) : undefined;
  // A server newer than this page may send a code the table does not name yet.
  return own ?? resolve(Object.hasOwn(T.codes, code) ? T.codes[code as AppErrorCode] : undefined, params) ?? T.generic;
}

/** The same, as one line for a form: "Title. Advice" */
export function errorSentence(code: AppErrorCode | FormProblem | RunFailure, context?: ErrorContext, params?: ErrorParams): string {
  const { title, advice } = errorText(code, context, params);
  return `${title}. ${advice}`;
}

/** Every code and `context:code` the tables name (for tests that check each sentence). */
export const ERROR_KEYS: readonly string[] = [
  ...Object.keys(errorsText.current().codes),
  ...Object.entries(errorsText.current().inContext).flatMap(([context, table]) => Object.keys(table ?? {}).map((code) => `${context}:${code}`)),
];
