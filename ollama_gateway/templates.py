"""Chat templates in Ollama's own language (Go text/template) for the chat families hadra serves.

Why here: a GGUF alone gives ``{{ .Prompt }}``, which glues the chat messages together, so whoever
registers a model with Ollama (``finetune register``, the embedded CPU Ollama's default model)
hands one of these to :meth:`OllamaGateway.create_model` with its stop token. Which family a
trained model belongs to is ``finetune``'s decision; how that family is written for Ollama is here.
"""

from __future__ import annotations

# Gemma's turn format. Gemma has no system role, so the system prompt is folded into the first
# user turn. No <bos>: Ollama adds it itself.
GEMMA_TEMPLATE = """{{- $first := true }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "user" }}<start_of_turn>user
{{ if and $first $.System }}{{ $.System }}

{{ end }}{{ $first = false }}{{ .Content }}<end_of_turn>
{{ if $last }}<start_of_turn>model
{{ end }}
{{- else if eq .Role "assistant" }}<start_of_turn>model
{{ .Content }}{{ if not $last }}<end_of_turn>
{{ end }}
{{- end }}
{{- end }}"""
GEMMA_STOP = "<end_of_turn>"

# ChatML as Qwen2/2.5 write it: the system turn (from SYSTEM or the request), then the turns,
# then an open assistant turn. System messages reach the template as .System.
CHATML_TEMPLATE = """{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "user" }}<|im_start|>user
{{ .Content }}<|im_end|>
{{ else if eq .Role "assistant" }}<|im_start|>assistant
{{ .Content }}{{ if not $last }}<|im_end|>
{{ end }}
{{- end }}
{{- if and (ne .Role "assistant") $last }}<|im_start|>assistant
{{ end }}
{{- end }}"""
CHATML_STOP = "<|im_end|>"
