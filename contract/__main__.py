"""``python -m contract``: print the contract's JSON Schema (the web app's types are generated from it)."""

from contract.schema import main

main()
