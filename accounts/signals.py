"""Signals that accounts sends, so apps that build on accounts can react without accounts importing them."""
from django.dispatch import Signal

# Sent as `invitation_accepted.send(sender=Invitation, invitation=..., user=...)` inside the transaction that
# creates the invited account, so a receiver's writes are kept or rolled back together with the account.
invitation_accepted = Signal()
