from django.urls import path

from tending.prompts import conversation, deck_views, talk, views

app_name = "prompts"

urlpatterns = [
    path("daily/", views.daily, name="daily"),
    path("daily/answer/", views.answer, name="daily_answer"),
    path("daily/guess/", views.guess, name="daily_guess"),
    path("daily/guesses/<int:guess>/mark/", views.mark_guess, name="guess_mark"),
    path("daily/skip/", views.skip, name="daily_skip"),
    path("daily/another/", views.another, name="daily_another"),
    path("daily/favourite/", views.favourite_add, name="favourite_add"),
    path("daily/react/", talk.react, name="daily_react"),
    path("daily/reply/", talk.reply, name="daily_reply"),
    path("daily/history/", talk.history, name="daily_history"),
    path("favourites/", views.favourites, name="favourites"),
    path(
        "favourites/<int:favourite>/remove/",
        views.favourite_remove,
        name="favourite_remove",
    ),
    path("conversation/", conversation.conversation, name="conversation"),
    path("conversation/slot/", conversation.set_slot, name="conversation_slot"),
    path("conversation/turn/", conversation.switch_turn, name="conversation_turn"),
    path("conversation/heard/", conversation.save_heard, name="conversation_heard"),
    path("conversation/done/", conversation.mark_held, name="conversation_done"),
    path(
        "conversation/<int:conversation>/understood/",
        conversation.rate,
        name="conversation_understood",
    ),
    path(
        "conversation/history/",
        conversation.history,
        name="conversation_history",
    ),
    path("decks/", deck_views.decks, name="decks"),
    path("decks/choose/", deck_views.choose, name="deck_choose"),
    path("decks/stop/", deck_views.stop, name="deck_stop"),
    path("decks/opt-in/", deck_views.opt_in, name="deck_opt_in"),
    path("decks/opt-out/", deck_views.opt_out, name="deck_opt_out"),
    path("conversation/evening/", deck_views.evening, name="evening"),
    path(
        "conversation/calendar/reset/",
        conversation.reset_calendar,
        name="calendar_reset",
    ),
]
