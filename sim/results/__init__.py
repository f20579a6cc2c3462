"""From a replication's plain records to named KPIs, summaries with intervals, targets and files.

``kpis`` and ``kpis_backoffice`` define the KPIs; ``summary`` holds the result objects and their
intervals; ``targets`` judges them against a scenario's targets; ``output`` writes the output folder.
"""
