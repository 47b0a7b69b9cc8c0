from django.urls import path

from tending.prompts import conversation

# The private calendar feed: reached by its signed link alone, outside any bond's pages.
app_name = "calendar"

urlpatterns = [
    path("<str:feed>/tending.ics", conversation.calendar_feed, name="feed"),
]
