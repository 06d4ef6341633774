"""Bundled IDS 1.0 rule sets (data only; see checks.rulesets). Each file documents its purpose and sources in its info block."""
