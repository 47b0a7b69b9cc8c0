"""The practices a bond keeps, in the product's own sense (docs/architecture.md,
"Words"): each grows one plant in the garden, and the check-up recommends them.
Prompt themes (tending.prompts.library.THEMES) and the cards on a bond's home
(tending.bonds.cards) are other things with other names."""

from django.db import models


class Practice(models.TextChoices):
    CONVERSATION = "conversation", "Meaningful conversation"
    RITUALS = "rituals", "Rituals"
    INNER_WORLD = "inner_world", "The inner world"
    REPAIR = "repair", "Repair"
    TOUCH = "touch", "Touch"
    CURIOSITY = "curiosity", "Curiosity"
