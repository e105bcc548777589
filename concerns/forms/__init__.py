"""The front door's forms, one module per screen: the staff form, triage, the help channel."""
