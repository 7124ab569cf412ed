"""Storage, the bottom layer: the schema (``tables``, SQLAlchemy Core; the forms it has a column for,
``forms``), the write layer (``writes``), engines, snapshots, the schema's state and the setup lock
(``engine``), Alembic migrations run from code (``migrate``), the name and typo indexes
(``search_index``) and multi-row inserts (``bulk``). It imports nothing of d3k2db but itself and
d3k2db/errors.py (tests/test_layers.py): it words no failure (d3k2db/database.py does) and does not
decide when to migrate and seed (d3k2db/ready.py does). Nothing is imported here, so importing the
package costs nothing."""
