"""The domain: what a figure is and how it is shown — the forms and the K2 arithmetic (``figures``), the
evidence rules (``evidence``), a food's one record and its value rules (``food_fields``, ``records``),
the typed results (``results``), name keys and plain text (``text``) and the data's codes in words
(``vocabulary``). Imports storage's plain constants and schema only; nothing above it."""
