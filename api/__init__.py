"""HTTP views by resource: auth, tokens, conversations, messages, models, admin."""
