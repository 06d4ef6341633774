"""Rule checks, Qt-free and database-free: the IDS engine (``checks.ids``), its reports
(``checks.reports``), the bundled rule sets (``checks.rulesets``) and the ``synthese check``
command (``checks.commands``). Clash detection and takeoff live beside them."""
