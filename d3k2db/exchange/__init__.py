"""Data exchange: the one reader of CSV tables (``reading``), the cited seed (``seed``), CSV and JSON
export (``export``), the CSV import of your foods (``import_rows`` reads and checks the rows,
``transfer`` plans and writes them), the USDA FoodData Central import (``fdc``), your own foods and
aliases with the write transactions they share with import (``custom``), and pandas helpers for the
FDC import (``frames``). Nothing is imported here, so importing the package costs nothing."""
