"""The headless commands' composition layer: checks, clashes and takeoffs working with a project.

``checks`` never imports ``project_db`` and the reverse; this package joins them
for the command line, like ``app.py`` does for the whole program. Its
:func:`cli.commands.register` extends the ``check``, ``clash`` and ``takeoff``
subcommands with ``--project P`` (store runs, use the project's rule sets,
clash tests, decisions and take-off templates) and ``--report OUT.bcf`` (one BCF
topic per failing element or clash). It never imports Qt.
"""
