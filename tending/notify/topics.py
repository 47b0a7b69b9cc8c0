"""What people can be told about, each a topic they can switch off by email."""

TOPICS: dict[str, str] = {
    "bond": "When someone joins, declines or leaves a bond",
    "notes": "When a note or voice message arrives",
    "rituals": "Reminders for your rituals",
    "conversation": "The weekly conversation",
    "daily": "The daily question, and reactions and replies to your answers",
    "feelings": "When a feeling is shared with you",
    "checkup": "A gentle suggestion to retake the check-up",
    "repair": "Repair messages and answers",
    "insights": "When a chat-history analysis is ready",
}
