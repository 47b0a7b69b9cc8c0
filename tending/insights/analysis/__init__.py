"""The message stream folded into monthly figures and the JSON report, for the
web job and the command line alike. `indicators` folds, `trends` builds the
report, `tallies` holds the counters both read; imports only `chats`."""
