"""What happens to a bond, told to the apps above it without importing them.

The notify app listens and tells the people concerned; bonds never imports notify."""

from django.dispatch import Signal

# Sent once someone has joined through an invitation: bond, member (who joined),
# inviter (who made the invitation).
member_joined = Signal()

# Sent once when a bond ends: bond, leaver, other (the member who stays with an
# archive, or None when nobody else was in the bond).
bond_ended = Signal()
