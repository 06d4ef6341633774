"""Bundled rule sets (data only; see checks.rulesets): IDS 1.0 files, each documenting its purpose and
sources in its info block, and ``<key>.ruleset.json`` files grouping each IDS with built-in rules
(checks.rules), their parameters and severities."""
