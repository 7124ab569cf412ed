"""Storage: the schema (``tables``, SQLAlchemy Core), the write layer (``writes``), the engine, snapshots
and "ready for use" (``engine``: migrate and seed under a lock on first use), Alembic migrations run
from code (``migrate``), the name and typo indexes (``search_index``) and multi-row inserts
(``bulk``). Nothing is imported here, so importing the package costs nothing."""
