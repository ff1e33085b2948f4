// How model names are shown and compared: Ollama names an untagged model `name:latest`, people
// (and a conversation's stored model) may say `name`.

/** The name people read: `name:latest` is `name`. */
export function modelLabel(name: string): string {
  return name.endsWith(":latest") ? name.slice(0, -":latest".length) : name;
}

/** The entry of `models` that names the same model as `name` (with or without `:latest`). */
export function matchModel(name: string, models: string[]): string | null {
  return models.find((m) => modelLabel(m) === modelLabel(name)) ?? null;
}
