"""Signals `courses` sends. Other apps (certificates, notifications) listen; courses never
imports them."""

from django.dispatch import Signal

# Sent once per learner and course, after the transaction that first recorded the course's
# completion time commits, with keyword arguments `user`, `course` (a CoursePage) and
# `completed_at`. A rolled-back completion sends nothing.
course_completed = Signal()

# Sent after the transaction commits when learners are assigned `course` (by a manager or an
# administrator), with `user_ids`, `due_date` (a date or None) and `assigned_by` (or None).
course_assigned = Signal()

# Sent inside the writing transaction, only where a learner's activity row is written: the
# first opening (`first=True`) and a return after SEEN_REFRESH_SECONDS (`first=False`); with
# `user`, `activity_id`, `course_id`, `language` and `at`. A rolled-back write sends nothing
# that stays: listeners write rows in the same transaction.
activity_opened = Signal()

# Sent inside the transaction that first records an activity's completion, with `user`,
# `activity_id`, `course_id`, `language` and `completed_at`.
activity_completed = Signal()
