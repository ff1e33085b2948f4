"""What an operator sees of hadra: Prometheus metrics (metrics.py) and structured logs (logs.py).

At the bottom of the import layers, beside the contract, so every layer can count what it does.
"""
