"""Printable reports from the project database: issue reports and meeting minutes.

Each report is built in two steps so the GUI can run the slow part off its main
thread and the CLI can share it: *gather* reads the project into a plain, frozen
content record (taking ``progress``/``cancel`` like every long core task), then a
pure *render* turns that record into the bytes of a PDF, XLSX or HTML file.

- :mod:`project_db.reports.issue_report`: a filtered issue list as PDF or XLSX.
- :mod:`project_db.reports.minutes`: a meeting's minutes as PDF, XLSX or HTML,
  stored in the project so they can be downloaded or regenerated.
- :mod:`project_db.reports.dashboard_charts`: the coordination dashboard's charts (PNG, PDF).
- :mod:`project_db.reports.pdf_layout`: the page template and styles the PDFs share.
- :mod:`project_db.reports.common`: dates, names and files as every report shows them.

The CLI is :mod:`project_db.report_commands` (``synthese report issues|minutes``).
"""
