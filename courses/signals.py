"""Signals `courses` sends. Other apps (certificates, notifications) listen; courses never
imports them."""

from django.dispatch import Signal

# Sent once per learner and course, after the transaction that first recorded the course's
# completion time commits, with keyword arguments `user`, `course` (a CoursePage) and
# `completed_at`. A rolled-back completion sends nothing.
course_completed = Signal()
