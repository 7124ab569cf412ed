"""portions.source as wide as a citation (500 characters), so a portion never holds a cut citation

A food's serving becomes a portion that names the food's source. portions.source held 300
characters and the longest citation (K2viewer's) is longer, so it was cut with '…'. The column now
takes MAX_CITATION, the width of sources.citation (on SQLite the portions table is rebuilt by
Alembic's batch mode; the search-index triggers live on foods and aliases, not here). The seed's
fingerprint is forgotten so the next run reloads the portions with their whole citations (your own
foods are kept, as on every seed refresh).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("portions") as batch_op:
        batch_op.alter_column("source", type_=sa.String(500), existing_type=sa.String(300))
    op.execute("DELETE FROM meta WHERE key = 'seed_sha256'")


def downgrade() -> None:
    op.execute("UPDATE portions SET source = SUBSTR(source, 1, 300) WHERE LENGTH(source) > 300")
    with op.batch_alter_table("portions") as batch_op:
        batch_op.alter_column("source", type_=sa.String(300), existing_type=sa.String(500))
