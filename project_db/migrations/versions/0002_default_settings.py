"""French-practice default settings: trades with delays, issue types, statuses, priorities, stages, labels.

Each kind is seeded only where the project has none yet, so a project that was
configured by hand before this revision keeps its own settings.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# code, name_fr, name_en, colour (same colours as bim.trades where the codes match)
TRADES = (
    ("ARC", "Architecture", "Architecture", "#D6CCBA"),
    ("STR", "Structure – gros œuvre", "Structure", "#9696A0"),
    ("CVC", "Chauffage, ventilation, climatisation", "HVAC", "#4682DC"),
    ("PLB", "Plomberie, sanitaires", "Plumbing", "#3CAA6E"),
    ("ELE", "Électricité (courants forts et faibles)", "Electrical", "#F09628"),
    ("VRD", "Voirie et réseaux divers", "Site works and utilities", "#966E46"),
    ("FAC", "Façades", "Façades and cladding", "#8CB4C8"),
    ("MEN", "Menuiseries", "Doors and windows", "#B4783C"),
    ("CLO", "Cloisons, doublages, faux plafonds", "Partitions and ceilings", "#C8B4DC"),
    ("SPK", "Protection incendie (sprinklage)", "Fire protection (sprinklers)", "#DC3C3C"),
    ("OTH", "Autres", "Other", "#AA78BE"),
)

# priority code, name_fr, name_en, response days, resolution days
PRIORITIES = (
    ("Critical", "Critique", "Critical", 1, 3),
    ("High", "Haute", "High", 2, 7),
    ("Normal", "Normale", "Normal", 5, 15),
    ("Low", "Basse", "Low", 10, 30),
)

# kind, code, name_fr, name_en, is_closed
VOCABULARY = (
    ("type", "Clash", "Conflit", "Clash", False),
    ("type", "Issue", "Problème", "Issue", False),
    ("type", "Request", "Demande", "Request", False),
    ("type", "Remark", "Remarque", "Remark", False),
    ("type", "Information", "Information", "Information", False),
    ("status", "Open", "Ouvert", "Open", False),
    ("status", "In Progress", "En cours", "In progress", False),
    ("status", "Resolved", "Résolu", "Resolved", False),
    ("status", "Closed", "Fermé", "Closed", True),
    *(("priority", code, fr, en, False) for code, fr, en, _r, _d in PRIORITIES),
    ("stage", "ESQ", "Esquisse", "Sketch design", False),
    ("stage", "APS", "Avant-projet sommaire", "Preliminary design", False),
    ("stage", "APD", "Avant-projet définitif", "Developed design", False),
    ("stage", "PRO", "Projet", "Technical design", False),
    ("stage", "DCE", "Dossier de consultation des entreprises", "Tender documents", False),
    ("stage", "EXE", "Études d'exécution", "Construction design", False),
    ("stage", "DOE", "Dossier des ouvrages exécutés", "As-built records", False),
    ("label", "Openings", "Réservations", "Openings and penetrations", False),
    ("label", "Fire safety", "Sécurité incendie", "Fire safety", False),
    ("label", "Accessibility", "Accessibilité", "Accessibility", False),
    ("label", "Maintenance access", "Accès maintenance", "Maintenance access", False),
)


def upgrade() -> None:
    bind = op.get_bind()
    trades = sa.table(
        "trades",
        sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name_fr", sa.String),
        sa.column("name_en", sa.String), sa.column("colour", sa.String), sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    delays = sa.table(
        "trade_delays",
        sa.column("trade_id", sa.Integer), sa.column("priority", sa.String),
        sa.column("response_days", sa.Integer), sa.column("resolution_days", sa.Integer),
    )
    vocabulary = sa.table(
        "vocabulary",
        sa.column("kind", sa.String), sa.column("code", sa.String), sa.column("name_fr", sa.String),
        sa.column("name_en", sa.String), sa.column("sort_order", sa.Integer), sa.column("is_closed", sa.Boolean),
        sa.column("active", sa.Boolean),
    )
    if not bind.execute(sa.select(sa.func.count()).select_from(trades)).scalar():
        op.bulk_insert(
            trades,
            [
                {"code": c, "name_fr": fr, "name_en": en, "colour": colour, "sort_order": i, "active": True}
                for i, (c, fr, en, colour) in enumerate(TRADES)
            ],
        )
        ids = bind.execute(sa.select(trades.c.id)).scalars().all()
        op.bulk_insert(
            delays,
            [
                {"trade_id": trade_id, "priority": code, "response_days": r, "resolution_days": d}
                for trade_id in ids
                for code, _fr, _en, r, d in PRIORITIES
            ],
        )
    seeded = set(bind.execute(sa.select(vocabulary.c.kind).distinct()).scalars())
    rows = []
    order: dict[str, int] = {}
    for kind, code, fr, en, closed in VOCABULARY:
        if kind in seeded:
            continue
        order[kind] = order.get(kind, -1) + 1
        rows.append(
            {"kind": kind, "code": code, "name_fr": fr, "name_en": en, "sort_order": order[kind],
             "is_closed": closed, "active": True}
        )
    if rows:
        op.bulk_insert(vocabulary, rows)


def downgrade() -> None:
    # Settings may have been edited since; removing them would lose users' data.
    pass
