"""The 17 Global Goals (Sustainable Development Goals) with the Dutch titles municipalities use.

Pinned here, once, as in the reference proposal's checklist; data files name goals by number only.
"""

from __future__ import annotations

GOALS: tuple[str, ...] = (
    "Einde aan Armoede",
    "Einde aan honger, zorgen voor voedselzekerheid en duurzame landbouw",
    "Gezondheidszorg voor iedereen",
    "Inclusief, gelijkwaardig en goed onderwijs voor iedereen",
    "Gelijke rechten voor mannen en vrouwen en empowerment van vrouwen en meisjes",
    "Schoon water en sanitaire voorzieningen voor iedereen",
    "Toegang tot betaalbare en duurzame energie",
    "Inclusieve economische groei, werkgelegenheid en fatsoenlijk werk voor iedereen",
    "Infrastructuur voor duurzame industrie",
    "Verminderen van ongelijkheid binnen en tussen landen",
    "Maak steden en dorpen inclusief, veilig, veerkrachtig en duurzaam",
    "Duurzame consumptie en productie",
    "Aanpak van klimaatverandering",
    "Beschermen en duurzaam gebruik van oceanen en zeeën",
    "Beschermen en duurzaam gebruik van ecosystemen, bossen en biodiversiteit",
    "Bevorderen van veiligheid, publieke diensten en recht voor iedereen",
    "Versterken van mondiaal partnerschap en coherent beleid voor duurzame ontwikkeling",
)


def goal_label(number: int) -> str:
    """ "Goal 08": the label the checklist prints before the title."""
    return f"Goal {number:02d}"
