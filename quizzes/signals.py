"""Signals `quizzes` sends. Other apps (workshops) listen; quizzes never imports them."""

from django.dispatch import Signal

# Sent once per attempt, after the transaction that submitted and scored it commits, with
# keyword arguments `user`, `quiz` (a QuizPage) and `attempt` (the QuizAttempt, scored).
attempt_submitted = Signal()
