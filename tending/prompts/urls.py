from django.urls import path

from tending.prompts import conversation, views

app_name = "prompts"

urlpatterns = [
    path("bonds/<int:pk>/daily/", views.daily, name="daily"),
    path("bonds/<int:pk>/daily/answer/", views.answer, name="daily_answer"),
    path("bonds/<int:pk>/daily/guess/", views.guess, name="daily_guess"),
    path("bonds/<int:pk>/daily/guesses/<int:guess>/mark/", views.mark_guess, name="guess_mark"),
    path("bonds/<int:pk>/daily/skip/", views.skip, name="daily_skip"),
    path("bonds/<int:pk>/daily/another/", views.another, name="daily_another"),
    path("bonds/<int:pk>/daily/favourite/", views.favourite_add, name="favourite_add"),
    path("bonds/<int:pk>/favourites/", views.favourites, name="favourites"),
    path(
        "bonds/<int:pk>/favourites/<int:favourite>/remove/",
        views.favourite_remove,
        name="favourite_remove",
    ),
    path("bonds/<int:pk>/conversation/", conversation.conversation, name="conversation"),
    path("bonds/<int:pk>/conversation/slot/", conversation.set_slot, name="conversation_slot"),
    path("bonds/<int:pk>/conversation/turn/", conversation.switch_turn, name="conversation_turn"),
    path("bonds/<int:pk>/conversation/heard/", conversation.save_heard, name="conversation_heard"),
    path("bonds/<int:pk>/conversation/done/", conversation.mark_held, name="conversation_done"),
    path(
        "bonds/<int:pk>/conversation/<int:conversation>/understood/",
        conversation.rate,
        name="conversation_understood",
    ),
    path(
        "bonds/<int:pk>/conversation/history/",
        conversation.history,
        name="conversation_history",
    ),
    path(
        "bonds/<int:pk>/conversation/calendar/reset/",
        conversation.reset_calendar,
        name="calendar_reset",
    ),
    path("calendar/<str:feed>/tending.ics", conversation.calendar_feed, name="calendar_feed"),
]
