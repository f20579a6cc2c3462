"""The scenario language: what a planner writes, validated into immutable models.

``spec`` holds the top-level ``Scenario`` and its parts live beside it (``base``, ``backoffice``,
``it``, ``costs``, ``distributions``); ``loading`` reads files and applies overrides, ``checks``
holds the cross-field rules and ``schema`` exports the JSON Schema for editors.
"""
