"""Data exchange: the cited seed (``seed``), CSV and JSON export and import of your foods
(``transfer``), the USDA FoodData Central import (``fdc``), your own foods and aliases with the write
transactions they share with import (``custom``), and pandas helpers (``frames``). Nothing is
imported here, so importing the package costs nothing."""
