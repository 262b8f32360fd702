"""What a caller may do: the permission table and scopes, and per-caller rate limits."""
