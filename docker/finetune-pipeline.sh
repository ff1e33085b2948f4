#!/bin/sh
# dataset → train → eval → export → register, each step resumable (train continues from its last
# checkpoint when the container is restarted). Settings come from docker-compose.gpu.yml.
set -eu
CONFIG="${FINETUNE_CONFIG:-finetune/configs/qwen2.5-7b-darija.toml}"
NAME="${FINETUNE_MODEL_NAME:?set FINETUNE_MODEL_NAME, e.g. hadra-darija:v1}"
set --
for file in /data/translations/*.jsonl; do [ -f "$file" ] && set -- "$@" "$file"; done
if [ "$#" -gt 0 ]; then
  python -m finetune dataset --translations "$@"
else
  python -m finetune dataset
fi
python -m finetune train --config "$CONFIG"
python -m finetune eval --config "$CONFIG"
python -m finetune export --config "$CONFIG"
python -m finetune register --config "$CONFIG" --name "$NAME"
