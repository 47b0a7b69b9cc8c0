"""The coach's fixed label set, in a module of its own so that readers of the
labels (the chat-history indicators) need not load the lexicon."""

LABELS = (
    "logistics",
    "feeling",
    "appreciation",
    "curiosity",
    "criticism",
    "contempt",
    "defensiveness",
    "stonewalling",
    "repair",
    "humor",
)
# The four that call for a gentler rephrasing, and that mark conflict in a chat.
NEGATIVE = frozenset({"criticism", "contempt", "defensiveness", "stonewalling"})
