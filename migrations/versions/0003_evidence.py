"""evidence: what each measurement covers, duplicates counted once, doubt flags, the headline's why

measurements: coverage (complete | total | partial), counted (false for a repeat of another
measurement of the same publication and value), same_as (the counted one's citation and code),
flags ('kind: reason | …'). foods: the headline's coverage and flags, the main measured form, how
many independent measurements there are and agree, why the headline was chosen, a note when the
tag is not the food's kind. sources: the publisher's own page beside the copy read.
A food with no K2 measured above 0 has the empty tag ''.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, list[sa.Column]] = {  # type: ignore[type-arg]
    "measurements": [
        sa.Column("coverage", sa.String(20)),
        sa.Column("counted", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("same_as", sa.String(600)),
        sa.Column("flags", sa.Text()),
    ],
    "foods": [
        sa.Column("coverage", sa.String(20)),
        sa.Column("flags", sa.Text()),
        sa.Column("main_form", sa.String(8)),
        sa.Column("independent", sa.Integer()),
        sa.Column("agreeing", sa.Integer()),
        sa.Column("headline_reason", sa.Text()),
        sa.Column("tag_note", sa.Text()),
    ],
    "sources": [sa.Column("publisher_url", sa.Text())],
}


def upgrade() -> None:
    # Plain ADD COLUMN: no table is rebuilt, so the search-index triggers on foods stay as they are.
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    # The seed's evidence lives in the new columns: forget the loaded seed's fingerprint so that the
    # next run reloads it (your own foods are kept, as on every seed refresh).
    op.execute("DELETE FROM meta WHERE key = 'seed_sha256'")


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in reversed(columns):
            if op.get_bind().dialect.name == "sqlite":  # SQLite ≥ 3.35 drops a column in place
                op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column.name}"')
            else:
                op.drop_column(table, column.name)
