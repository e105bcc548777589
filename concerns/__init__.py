"""The front door of the case area: every concern about a child that reaches a school.

A concern comes from a member of staff (any teacher may raise one but reads no case),
from a pupil or parent through the school's online help channel, or is logged by a
case worker from a call, a visit or the suggestion box. All of them land in one triage
queue per school, where the counselling team opens a case from it, attaches it to a
case, replies or closes it. The public side reaches this app only through
``concerns.gateway``.
"""
