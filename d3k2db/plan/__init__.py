"""`d3k2db plan`: servings of real foods that reach the K2 a vitamin D3 dose (or a target) calls for.

``diet`` classifies every food for each diet (data/diet.csv), ``candidates`` reads the foods a plan
may use with their servings, ``solve`` chooses the servings (SciPy's MILP, HiGHS), ``build`` puts
them together as the typed results of ``results``. docs/plan.md states the method.
"""
