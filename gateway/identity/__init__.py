"""Who is calling: bearer tokens (API tokens, JWTs) turned into a Caller, and the built-in login
(passwords, sessions, the gateway's own signing key, AuthService, `set-password`)."""
